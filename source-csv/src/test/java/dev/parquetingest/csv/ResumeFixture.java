package dev.parquetingest.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.BadRecordPolicy;
import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.datagen.Dataset;
import dev.parquetingest.testing.SameRows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The input, output and reference of the rerun and resume tests ({@link RerunIT}, {@link
 * ResumeLimitsIT}): a logs CSV with bad records on given lines (rejected when there are any), its
 * one-worker conversion as the reference, runs into the output with a small split size, and what a
 * stopped or killed run leaves, made from a finished run's output. Not thread-safe.
 */
final class ResumeFixture {
  final Path csv;
  final Path out;
  final Path reference;

  /** The input's good records: the rows every complete output holds. */
  final long rows;

  private final List<Integer> badLines;
  private final int maxRowsPerFile;

  /**
   * Writes the input ({@code rows} records, those on {@code badLines} replaced by bad ones) and
   * converts it into the reference.
   */
  ResumeFixture(Path dir, int rows, long seed, List<Integer> badLines, int maxRowsPerFile)
      throws IOException {
    this.csv = dir.resolve("logs.csv");
    this.out = dir.resolve("out");
    this.reference = dir.resolve("ref");
    this.rows = rows - badLines.size();
    this.badLines = List.copyOf(badLines);
    this.maxRowsPerFile = maxRowsPerFile;
    Dataset.LOGS.writeCsv(csv, rows, seed);
    if (!badLines.isEmpty()) {
      List<String> lines = Files.readAllLines(csv);
      for (int line : badLines) {
        lines.set(line - 1, "bad,record,at,line," + line);
      }
      Files.write(csv, lines);
    }
    run(reference, 1, false, false);
  }

  CsvSource source() {
    return CsvSource.builder(csv).schema(Dataset.LOGS.schema()).minPartBytes(1024).build();
  }

  IngestReport run(Path to, int workers, boolean overwrite, boolean resume) {
    return ParquetIngest.builder()
        .source(source())
        .onBadRecord(badLines.isEmpty() ? BadRecordPolicy.FAIL : BadRecordPolicy.REJECT)
        .workers(workers)
        .maxRowsPerFile(maxRowsPerFile)
        .outputDirectory(to)
        .overwrite(overwrite)
        .resume(resume)
        .run();
  }

  List<Path> dataFiles() throws IOException {
    try (Stream<Path> s = Files.list(out)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(out)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  /**
   * Makes a finished run's output look interrupted: the data files at {@code drop} (sorted by name;
   * a negative index counts from the end) never committed, no manifest, no report. Killed: the
   * in-progress marker there ({@code marker}, as the run wrote it) and no rejects file (a killed
   * run never commits one); stopped (a null marker): the rejects file there, no marker.
   */
  void interrupt(String marker, int... drop) throws IOException {
    List<Path> files = dataFiles();
    assertThat(files.size()).isGreaterThan(6);
    for (int i : drop) {
      Files.delete(files.get(i < 0 ? files.size() + i : i));
    }
    Files.delete(out.resolve("_logs.manifest.jsonl"));
    Files.delete(out.resolve("_logs.report.json"));
    if (marker != null) {
      Files.deleteIfExists(out.resolve("_logs.rejects.jsonl"));
      Files.writeString(out.resolve("_logs.in-progress.json"), marker);
    }
  }

  /** The {@code line} of every record in the rejects file, in its order. */
  List<Long> rejectedLines() throws IOException {
    Matcher m =
        Pattern.compile("\"line\":(\\d+)")
            .matcher(Files.readString(out.resolve("_logs.rejects.jsonl")));
    List<Long> lines = new ArrayList<>();
    while (m.find()) {
      lines.add(Long.parseLong(m.group(1)));
    }
    return lines;
  }

  /** Every reference row exactly once in the output's data files, and nothing else. */
  void assertExactlyOnce() throws IOException {
    SameRows.assertSameRows(dataFiles(), reference.resolve("*.parquet"), rows);
  }
}
