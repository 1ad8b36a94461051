package dev.parquetingest.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.BadRecordPolicy;
import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.datagen.Dataset;
import dev.parquetingest.testing.DuckDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a resumed run finishes "as if the run had not stopped" (docs/delivery.md, "Reruns"): the
 * rejected records of the kept files' lines stay in the rejects file, once each; the report counts
 * the kept files' rows and lists them; the manifest's entries of kept files carry the column
 * statistics their footers hold, the same as the interrupted run's manifest had (floating columns
 * without bounds).
 */
class ResumeLimitsIT {
  private static final int ROWS = 6_000;

  /** Bad records in each of the three workers' parts. */
  private static final List<Integer> BAD_LINES = List.of(300, 1_500, 2_500, 4_100, 5_900);

  @TempDir Path dir;
  private Path csv;
  private Path out;
  private Path reference;

  @BeforeEach
  void input() throws IOException {
    csv = dir.resolve("logs.csv");
    Dataset.LOGS.writeCsv(csv, ROWS, 9);
    List<String> lines = Files.readAllLines(csv);
    for (int line : BAD_LINES) {
      lines.set(line - 1, "bad,record,at,line," + line);
    }
    Files.write(csv, lines);
    out = dir.resolve("out");
    reference = dir.resolve("ref");
    run(reference, 1, false);
  }

  private IngestReport run(Path to, int workers, boolean resume) {
    return ParquetIngest.builder()
        .source(CsvSource.builder(csv).schema(Dataset.LOGS.schema()).minPartBytes(1024).build())
        .onBadRecord(BadRecordPolicy.REJECT)
        .workers(workers)
        .maxRowsPerFile(400)
        .outputDirectory(to)
        .resume(resume)
        .run();
  }

  private List<Path> dataFiles() throws IOException {
    try (Stream<Path> s = Files.list(out)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  /** Interrupted as by a stop: some files never committed, the rejects file there. */
  private void interrupt() throws IOException {
    List<Path> files = dataFiles();
    assertThat(files.size()).isGreaterThan(8);
    Files.delete(files.get(1));
    Files.delete(files.get(5));
    Files.delete(files.get(files.size() - 1));
    Files.delete(out.resolve("_logs.manifest.jsonl"));
    Files.delete(out.resolve("_logs.report.json"));
    Files.writeString(out.resolve("_logs.in-progress.json"), "{\"runId\":\"x\"}");
  }

  private List<Long> rejectedLines() throws IOException {
    Matcher m =
        Pattern.compile("\"line\":(\\d+)")
            .matcher(Files.readString(out.resolve("_logs.rejects.jsonl")));
    List<Long> lines = new java.util.ArrayList<>();
    while (m.find()) {
      lines.add(Long.parseLong(m.group(1)));
    }
    return lines;
  }

  @Test
  void theRejectsOfTheKeptFilesLinesStayOnceEach() throws IOException {
    run(out, 3, false);
    assertThat(rejectedLines()).containsExactlyInAnyOrder(300L, 1_500L, 2_500L, 4_100L, 5_900L);
    interrupt();

    run(out, 2, true);

    assertThat(rejectedLines())
        .as("each rejected record once: kept ones carried over, the others rejected again")
        .containsExactlyInAnyOrder(300L, 1_500L, 2_500L, 4_100L, 5_900L);
    String got = "read_parquet(" + DuckDb.literal(dataFiles()) + ")";
    String want = "read_parquet(" + DuckDb.literal(reference.resolve("*.parquet")) + ")";
    assertThat(DuckDb.scalar("SELECT count(*) FROM " + got))
        .isEqualTo((long) ROWS - BAD_LINES.size());
    assertThat(
            DuckDb.scalar(
                "SELECT count(*) FROM (SELECT * FROM "
                    + got
                    + " EXCEPT ALL SELECT * FROM "
                    + want
                    + ")"))
        .isEqualTo(0L);
  }

  /** Column name to its statistics object's text in a manifest line. */
  private static java.util.Map<String, String> columns(String manifestLine) {
    String cols = manifestLine.substring(manifestLine.indexOf("\"columns\":"));
    Matcher m = Pattern.compile("\"([a-z_0-9]+)\":\\{([^{}]*)\\}").matcher(cols);
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  private static java.util.Map<String, String> byLocation(String manifest) {
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    for (String line : manifest.lines().collect(Collectors.toList())) {
      Matcher m = Pattern.compile("\"location\":\"([^\"]*)\"").matcher(line);
      assertThat(m.find()).isTrue();
      out.put(m.group(1), line);
    }
    return out;
  }

  @Test
  void theReportCountsTheKeptFilesAndTheManifestKeepsTheirColumnStatistics() throws IOException {
    run(out, 3, false);
    java.util.Map<String, String> before =
        byLocation(Files.readString(out.resolve("_logs.manifest.jsonl")));
    interrupt();
    java.util.Set<String> kept = new java.util.TreeSet<>();
    for (Path p : dataFiles()) {
      kept.add(p.getFileName().toString());
    }

    IngestReport report = run(out, 2, true);

    long rows = ROWS - BAD_LINES.size();
    assertThat(report.rowsWritten()).as("kept and resumed rows").isEqualTo(rows);
    assertThat(report.rowsRejected()).isEqualTo(BAD_LINES.size());
    assertThat(report.files()).hasSize(dataFiles().size());
    assertThat(report.files().stream().mapToLong(f -> f.rows()).sum()).isEqualTo(rows);
    String json = Files.readString(out.resolve("_logs.report.json"));
    assertThat(FullDiskIT.number(json, "rowsWritten")).isEqualTo(rows);

    java.util.Map<String, String> after =
        byLocation(Files.readString(out.resolve("_logs.manifest.jsonl")));
    assertThat(after.keySet()).containsAll(kept).hasSize(dataFiles().size());
    java.util.Set<String> floating = new java.util.HashSet<>();
    for (dev.parquetingest.schema.Field f : Dataset.LOGS.schema().fields()) {
      if (f.type().kind() == dev.parquetingest.schema.TypeKind.DOUBLE) {
        floating.add(f.name());
      }
    }
    assertThat(floating).isNotEmpty();
    for (String name : kept) {
      java.util.Map<String, String> want = columns(before.get(name));
      java.util.Map<String, String> got = columns(after.get(name));
      assertThat(got.keySet())
          .as(name)
          .isEqualTo(want.keySet())
          .hasSize(Dataset.LOGS.schema().size());
      for (String column : want.keySet()) {
        if (floating.contains(column)) {
          assertThat(got.get(column))
              .as(name + " " + column)
              .isEqualTo(want.get(column).replaceAll(",\"min\".*", ""));
        } else {
          assertThat(got.get(column)).as(name + " " + column).isEqualTo(want.get(column));
        }
      }
    }
  }
}
