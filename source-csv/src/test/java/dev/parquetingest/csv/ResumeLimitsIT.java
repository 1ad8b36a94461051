package dev.parquetingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.BadRecordPolicy;
import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.datagen.Dataset;
import dev.parquetingest.testing.JsonNumbers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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

  /** A killed REJECT run's marker, as it wrote it. */
  private static final String KILLED = "{\"runId\":\"x\",\"overwrite\":false,\"rejects\":true}\n";

  @TempDir Path dir;
  private ResumeFixture f;
  private Path out;

  @BeforeEach
  void input() throws IOException {
    f = new ResumeFixture(dir, ROWS, 9, BAD_LINES, 400);
    out = f.out;
  }

  private IngestReport run(Path to, int workers, boolean resume) {
    return f.run(to, workers, false, resume);
  }

  private List<Path> dataFiles() throws IOException {
    return f.dataFiles();
  }

  /** Interrupted as by a stop: some files never committed, the rejects file there. */
  private void interrupt() throws IOException {
    f.interrupt(null, 1, 5, -1);
  }

  private List<Long> rejectedLines() throws IOException {
    return f.rejectedLines();
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
    f.assertExactlyOnce();
  }

  @Test
  void afterAKillTheRejectsOfTheKeptFilesLinesAreRebuiltOnceEach() throws IOException {
    run(out, 3, false);
    java.util.Map<String, String> manifest =
        byLocation(Files.readString(out.resolve("_logs.manifest.jsonl")));
    f.interrupt(KILLED, 1, 5, -1);
    List<Path> kept = dataFiles();
    assertThat(BAD_LINES.stream().filter(line -> insideOneOf(kept, manifest, line)).count())
        .as("bad records among the kept files' lines, which the resumed run does not write again")
        .isGreaterThanOrEqualTo(2);
    assertThat(out.resolve("_logs.rejects.jsonl")).doesNotExist();

    IngestReport report = run(out, 2, true);

    assertThat(rejectedLines())
        .as("each rejected record once: kept ones rebuilt, the others rejected again")
        .containsExactlyInAnyOrder(300L, 1_500L, 2_500L, 4_100L, 5_900L);
    f.assertExactlyOnce();
    assertThat(report.rowsRejected()).isEqualTo(BAD_LINES.size());
    assertThat(report.rowsRead())
        .as("one read of each record, but the last one of each kept file")
        .isEqualTo(ROWS - kept.size());
    assertThat(f.names()).doesNotContain("_logs.in-progress.json");
  }

  @Test
  void aResumeThatFailsBeforeItRebuiltKeepsTheMarkerSoTheNextOneRebuilds() throws IOException {
    run(out, 3, false);
    f.interrupt(KILLED, 0, 4, -1);
    Path other = dir.resolve("other").resolve("logs.csv");
    Files.createDirectories(other.getParent());
    Files.copy(f.csv, other);
    assertThatThrownBy(
            () ->
                ParquetIngest.builder()
                    .source(CsvSource.builder(other).schema(Dataset.LOGS.schema()).build())
                    .onBadRecord(BadRecordPolicy.REJECT)
                    .outputDirectory(out)
                    .resume(true)
                    .run())
        .hasMessageContaining("not of " + other);
    assertThat(f.names()).contains("_logs.in-progress.json");

    run(out, 1, true);

    assertThat(rejectedLines()).containsExactlyInAnyOrder(300L, 1_500L, 2_500L, 4_100L, 5_900L);
    f.assertExactlyOnce();
    assertThat(f.names()).doesNotContain("_logs.in-progress.json");
  }

  /** Whether {@code line} lies strictly between the first and last line of one of the files. */
  private static boolean insideOneOf(
      List<Path> files, java.util.Map<String, String> manifest, long line) {
    Pattern first = Pattern.compile("\"firstPosition\":\"line (\\d+)\"");
    Pattern last = Pattern.compile("\"lastPosition\":\"line (\\d+)\"");
    for (Path p : files) {
      String entry = manifest.get(p.getFileName().toString());
      Matcher a = first.matcher(entry);
      Matcher b = last.matcher(entry);
      assertThat(a.find() && b.find()).as(entry).isTrue();
      if (line > Long.parseLong(a.group(1)) && line < Long.parseLong(b.group(1))) {
        return true;
      }
    }
    return false;
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
    assertThat(JsonNumbers.number(json, "rowsWritten")).isEqualTo(rows);

    java.util.Map<String, String> after =
        byLocation(Files.readString(out.resolve("_logs.manifest.jsonl")));
    assertThat(after.keySet()).containsAll(kept).hasSize(dataFiles().size());
    java.util.Set<String> floating = new java.util.HashSet<>();
    for (dev.parquetingest.schema.Field field : Dataset.LOGS.schema().fields()) {
      if (field.type().kind() == dev.parquetingest.schema.TypeKind.DOUBLE) {
        floating.add(field.name());
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
