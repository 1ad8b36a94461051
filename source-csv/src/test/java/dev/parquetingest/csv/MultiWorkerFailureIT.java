package dev.parquetingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.parquetingest.ParquetIngest;
import dev.parquetingest.common.BadRecordException;
import dev.parquetingest.common.KeptOutput;
import dev.parquetingest.datagen.Dataset;
import dev.parquetingest.testing.DuckDb;
import dev.parquetingest.testing.JsonNumbers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed run with several workers (docs/delivery.md, "Several workers, failure") keeps its
 * committed files, which are not a prefix of the input, and says exactly which line ranges they
 * hold: the failure's {@link KeptOutput} notice, the manifest and the report agree, each kept file
 * holds exactly the input's records of its lines, none holds the failing line, and a resume after
 * the fix completes the output with every record once.
 */
class MultiWorkerFailureIT {
  private static final int ROWS = 6_000;

  /** In the third worker's part (lines 4002 to 6001 of 3 parts). */
  private static final int BAD_LINE = 4_500;

  @TempDir Path dir;

  @Test
  void theKeptFilesAndTheirLineRangesAgreeInTheMessageTheManifestAndTheReport() throws IOException {
    Path csv = dir.resolve("logs.csv");
    Dataset.LOGS.writeCsv(csv, ROWS, 5);
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines).as("one line per record").hasSize(ROWS + 1);
    Path reference = dir.resolve("ref");
    ParquetIngest.builder().source(source(csv)).workers(1).outputDirectory(reference).run();
    Path ref = reference.resolve("logs-00000.parquet");
    assertThat(DuckDb.count(ref)).isEqualTo(ROWS);

    String good = lines.get(BAD_LINE - 1);
    lines.set(BAD_LINE - 1, "not,a,valid,record,at,all");
    Files.write(csv, lines);
    Path out = dir.resolve("out");
    Throwable failure = catchThrowable(() -> run(csv, out, false));

    assertThat(failure).isInstanceOf(BadRecordException.class).hasMessageContaining("line 4500");
    KeptOutput kept = KeptOutput.of(failure);
    assertThat(kept).as("the kept files are named with the failure").isNotNull();
    Matcher m =
        Pattern.compile("Kept (\\d+) files? \\(([\\d,]+) rows\\) in (.*) holding lines (.*) of .*")
            .matcher(kept.getMessage());
    assertThat(m.matches()).as(kept.getMessage()).isTrue();
    assertThat(m.group(3)).isEqualTo(out.toString());

    // the manifest: every kept file's lines; the report: the same files and positions
    String manifest = Files.readString(out.resolve("_logs.manifest.jsonl"));
    String report = Files.readString(out.resolve("_logs.report.json"));
    TreeMap<Long, Long> ranges = new TreeMap<>();
    long rows = 0;
    List<String> files = new ArrayList<>();
    for (String line : manifest.lines().collect(Collectors.toList())) {
      String location = field(line, "location");
      long first = Long.parseLong(field(line, "firstPosition").substring(5));
      long last = Long.parseLong(field(line, "lastPosition").substring(5));
      long fileRows = JsonNumbers.number(line, "rows");
      assertThat(fileRows).as(line).isEqualTo(last - first + 1);
      assertThat(BAD_LINE >= first && BAD_LINE <= last).as(line).isFalse();
      assertThat(report)
          .contains("\"firstPosition\": \"line " + first + "\"")
          .contains("\"lastPosition\": \"line " + last + "\"");
      // exactly the input's records of those lines: line n is the reference's row n - 2
      Path file = out.resolve(location);
      assertThat(
              DuckDb.scalar(
                  "SELECT count(*) FROM (SELECT * FROM read_parquet("
                      + DuckDb.literal(file)
                      + ") EXCEPT ALL SELECT * EXCLUDE (file_row_number) FROM read_parquet("
                      + DuckDb.literal(ref)
                      + ", file_row_number = true) WHERE file_row_number BETWEEN "
                      + (first - 2)
                      + " AND "
                      + (last - 2)
                      + ")"))
          .as(location)
          .isEqualTo(0L);
      assertThat(DuckDb.count(file)).isEqualTo(fileRows);
      ranges.put(first, last);
      rows += fileRows;
      files.add(location);
    }
    assertThat(files).containsExactlyInAnyOrderElementsOf(dataFiles(out));
    assertThat(Long.parseLong(m.group(1))).isEqualTo(files.size());
    assertThat(Long.parseLong(m.group(2).replace(",", ""))).isEqualTo(rows);
    assertThat(m.group(4)).isEqualTo(merged(ranges));
    assertThat(report).containsPattern("\"status\":\\s*\"failed\"");
    assertThat(JsonNumbers.number(report, "rowsWritten")).isEqualTo(rows);

    // fixed, resumed: every record exactly once
    lines.set(BAD_LINE - 1, good);
    Files.write(csv, lines);
    run(csv, out, true);
    String got = "read_parquet(" + DuckDb.literal(out.resolve("*.parquet")) + ")";
    assertThat(DuckDb.scalar("SELECT count(*) FROM " + got)).isEqualTo((long) ROWS);
    assertThat(
            DuckDb.scalar(
                "SELECT count(*) FROM (SELECT * FROM "
                    + got
                    + " EXCEPT ALL SELECT * FROM read_parquet("
                    + DuckDb.literal(ref)
                    + "))"))
        .isEqualTo(0L);
  }

  private static void run(Path csv, Path out, boolean resume) {
    ParquetIngest.builder()
        .source(source(csv))
        .outputDirectory(out)
        .workers(3)
        .maxRowsPerFile(300)
        .resume(resume)
        .run();
  }

  private static CsvSource source(Path csv) {
    return CsvSource.builder(csv).schema(Dataset.LOGS.schema()).minPartBytes(1024).build();
  }

  /** Consecutive ranges joined, as the notice writes them: {@code 2-601, 2002-2301}. */
  private static String merged(TreeMap<Long, Long> ranges) {
    List<String> parts = new ArrayList<>();
    long start = -1;
    long end = -1;
    for (var e : ranges.entrySet()) {
      if (start >= 0 && e.getKey() == end + 1) {
        end = e.getValue();
        continue;
      }
      if (start >= 0) {
        parts.add(start + "-" + end);
      }
      start = e.getKey();
      end = e.getValue();
    }
    parts.add(start + "-" + end);
    return String.join(", ", parts);
  }

  private static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
    assertThat(m.find()).as(name + " in " + json).isTrue();
    return m.group(1);
  }

  private static List<String> dataFiles(Path out) throws IOException {
    try (Stream<Path> s = Files.list(out)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".parquet"))
          .collect(Collectors.toList());
    }
  }
}
