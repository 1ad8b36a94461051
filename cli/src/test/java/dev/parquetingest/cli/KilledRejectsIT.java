package dev.parquetingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.testing.DuckDb;
import dev.parquetingest.testing.JsonNumbers;
import dev.parquetingest.testing.SameRows;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A conversion that rejects bad records, killed with SIGKILL in a child JVM after each of its two
 * workers committed a file (the crash point {@code after-data-commit} holds them there), so its
 * rejects file was never committed while the kept files' lines hold rejected records; {@code
 * --resume} with another worker count rebuilds those rejects by re-reading the kept ranges
 * (docs/delivery.md, "Reruns"): DuckDB finds every good record exactly once in the data files and
 * every bad one exactly once in the rejects file, on its own line.
 */
class KilledRejectsIT {
  private static final int ROWS = 400_000;

  /**
   * Bad records from past the inference sample (10,000 records) to the end, one every 997 lines.
   */
  private static final int FIRST_BAD = 10_050;

  private static final int BAD_EVERY = 997;

  @TempDir Path dir;

  @Test
  void afterSigkillResumeRebuildsTheRejectsOfTheKeptFilesEveryRecordExactlyOnce() throws Exception {
    ChildJvm jvm = new ChildJvm(dir);
    Path clean = dir.resolve("clean.csv");
    assertThat(
            jvm.exec("generate", "logs", "--rows", "" + ROWS, "--seed", "5", "--out", "" + clean))
        .as("generate")
        .isZero();
    Path csv = dir.resolve("logs.csv");
    List<Long> bad = withBadRecords(clean, csv);
    assertThat(bad).hasSizeGreaterThan(300);
    Path reference = dir.resolve("ref");
    assertThat(jvm.exec(convert(csv, reference, "1"))).as("reference").isZero();

    Path out = dir.resolve("out");
    ProcessBuilder pb = jvm.command(convert(csv, out, "2"));
    pb.environment().put("JAVA_OPTS", "-Dparquet-ingest.test.pause.after-data-commit=60000");
    Process p = pb.start();
    jvm.awaitCrashPoint(p, "after-data-commit", 2);
    ChildJvm.sigkill(p);
    List<String> left = ChildJvm.names(out);
    assertThat(left)
        .as("killed: the marker there, the rejects only staged")
        .contains("_logs.in-progress.json")
        .doesNotContain("_logs.rejects.jsonl", "_logs.manifest.jsonl")
        .anyMatch(n -> n.startsWith("._logs.rejects.jsonl.") && n.endsWith(".inprogress"));
    List<long[]> kept = keptLines(out);
    assertThat(kept).hasSize(2);
    long inside = bad.stream().filter(line -> insideOneOf(kept, line)).count();
    assertThat(inside).as("bad records among the kept files' lines").isGreaterThan(40);

    assertThat(jvm.exec(resume(csv, out))).as(jvm.stderr()).isZero();

    long good = ROWS - bad.size();
    SameRows.assertSameRows(out.resolve("*.parquet"), reference.resolve("*.parquet"), good);
    String rejects = "read_json_auto(" + DuckDb.literal(out.resolve("_logs.rejects.jsonl")) + ")";
    List<Long> rejected = new ArrayList<>();
    for (List<Object> row : DuckDb.query("SELECT line FROM " + rejects + " ORDER BY line")) {
      rejected.add(((Number) row.get(0)).longValue());
    }
    assertThat(rejected).as("every bad record once, by line").isEqualTo(bad);
    assertThat(
            DuckDb.scalar(
                "SELECT count(*) FROM "
                    + rejects
                    + " WHERE record <> 'bad,record,at,line,' || CAST(line AS VARCHAR)"))
        .as("each reject names its own record's line")
        .isEqualTo(0L);
    String report = Files.readString(out.resolve("_logs.report.json"));
    assertThat(JsonNumbers.number(report, "rowsRejected")).isEqualTo(bad.size());
    assertThat(JsonNumbers.number(report, "rowsWritten")).isEqualTo(good);
    assertThat(ChildJvm.names(out))
        .doesNotContain("_logs.in-progress.json")
        .noneMatch(n -> n.endsWith(".inprogress"));
  }

  private static String[] convert(Path csv, Path out, String workers) {
    return new String[] {
      "csv",
      csv.toString(),
      "--out",
      out.toString(),
      "--on-bad-record",
      "reject",
      "--workers",
      workers,
      "--max-rows-per-file",
      "30000",
      "--no-progress"
    };
  }

  private static String[] resume(Path csv, Path out) {
    List<String> args = new ArrayList<>(List.of(convert(csv, out, "3")));
    args.add("--resume");
    return args.toArray(new String[0]);
  }

  /** Copies {@code from}, replacing every {@link #BAD_EVERY}th line from {@link #FIRST_BAD}. */
  private static List<Long> withBadRecords(Path from, Path to) throws Exception {
    List<Long> bad = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(from, StandardCharsets.UTF_8);
        BufferedWriter w = Files.newBufferedWriter(to, StandardCharsets.UTF_8)) {
      long line = 0;
      for (String text = in.readLine(); text != null; text = in.readLine()) {
        line++;
        if (line >= FIRST_BAD && (line - FIRST_BAD) % BAD_EVERY == 0) {
          text = "bad,record,at,line," + line;
          bad.add(line);
        }
        w.write(text);
        w.write('\n');
      }
    }
    return bad;
  }

  /** The first and last line of each data file in {@code out}, from its footer. */
  private static List<long[]> keptLines(Path out) {
    List<long[]> lines = new ArrayList<>();
    for (List<Object> row :
        DuckDb.query(
            "SELECT max(CASE WHEN decode(key) = 'parquet-ingest.first-position' THEN decode(value)"
                + " END), max(CASE WHEN decode(key) = 'parquet-ingest.last-position' THEN"
                + " decode(value) END) FROM parquet_kv_metadata("
                + DuckDb.literal(out.resolve("*.parquet"))
                + ") GROUP BY file_name")) {
      lines.add(new long[] {line(row.get(0)), line(row.get(1))});
    }
    return lines;
  }

  private static long line(Object position) {
    String p = String.valueOf(position);
    assertThat(p).startsWith("line ");
    return Long.parseLong(p.substring(5));
  }

  private static boolean insideOneOf(List<long[]> files, long line) {
    return files.stream().anyMatch(f -> line > f[0] && line < f[1]);
  }
}
