package dev.parquetingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.testing.DuckDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A conversion killed in a child JVM (SIGTERM and SIGINT: graceful; SIGKILL: not) before its first
 * commit, between commits or at the manifest commit, then rerun: the plain rerun refuses, {@code
 * --resume} completes it, and DuckDB finds every record exactly once.
 */
class SignalIT {
  private static final long ROWS = 400_000;

  /** The input, generated once for every test: the conversions only read it. */
  @TempDir static Path shared;

  private static Path csv;

  @TempDir Path dir;
  private Path out;
  private ChildJvm jvm;

  private int exec(String... args) throws IOException, InterruptedException {
    return jvm.exec(args);
  }

  private String stderr() throws IOException {
    return jvm.stderr();
  }

  @BeforeEach
  void input() throws Exception {
    jvm = new ChildJvm(dir);
    if (csv == null) {
      Path file = shared.resolve("logs.csv");
      assertThat(exec("generate", "logs", "--rows", "" + ROWS, "--seed", "3", "--out", "" + file))
          .isZero();
      csv = file;
    }
    out = dir.resolve("out");
  }

  /** The conversion every test interrupts: two workers, files of {@code maxRowsPerFile} rows. */
  private ProcessBuilder conversion(long maxRowsPerFile) {
    return jvm.command(
        "csv",
        csv.toString(),
        "--out",
        out.toString(),
        "--workers",
        "2",
        "--max-rows-per-file",
        "" + maxRowsPerFile,
        "--no-progress");
  }

  private Process startConversion() throws IOException {
    return conversion(10_000).start();
  }

  /** Starts the conversion with files of 50,000 rows, paused {@code ms} before its manifest. */
  private Process startPausedBeforeManifest(long ms) throws Exception {
    ProcessBuilder pb = conversion(50_000);
    pb.environment().put("JAVA_OPTS", "-Dparquet-ingest.test.pause.before-manifest-commit=" + ms);
    Process p = pb.start();
    jvm.awaitCrashPoint(p, "before-manifest-commit", 1);
    return p;
  }

  /** Runs {@code csv <input> --out <out> extra… --no-progress} to its end; its exit code. */
  private int rerun(String... extra) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("csv", csv.toString(), "--out", out.toString()));
    args.addAll(List.of(extra));
    args.add("--no-progress");
    return exec(args.toArray(String[]::new));
  }

  /** A stop that finished: manifest and report written, marker and temp files removed. */
  private void assertStoppedCleanly() throws IOException {
    assertThat(names())
        .contains("_logs.manifest.jsonl", "_logs.report.json")
        .doesNotContain("_logs.in-progress.json")
        .noneMatch(n -> n.endsWith(".inprogress"));
  }

  private List<String> names() throws IOException {
    return ChildJvm.names(out);
  }

  private void assertEveryRecordExactlyOnce() throws IOException {
    String files = "read_parquet(" + DuckDb.literal(out.resolve("*.parquet")) + ")";
    assertThat(DuckDb.scalar("SELECT count(*) FROM " + files)).isEqualTo(ROWS);
    assertThat(DuckDb.scalar("SELECT count(*) FROM (SELECT DISTINCT * FROM " + files + ")"))
        .isEqualTo(ROWS);
  }

  @Test
  void sigtermCommitsWritesAnInterruptedReportAndResumeCompletes() throws Exception {
    Process p = startConversion();
    jvm.awaitFirstCommit(p, out);
    p.destroy(); // SIGTERM
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(stderr()).isEqualTo(143);
    assertThat(stderr()).contains("Stopped before the end of the input: kept").contains("--resume");
    assertStoppedCleanly();
    assertThat(Files.readString(out.resolve("_logs.report.json")))
        .containsPattern("\"status\":\\s*\"interrupted\"");

    assertThat(rerun()).as("a plain rerun refuses").isNotZero();
    assertThat(stderr()).contains("--overwrite").contains("--resume");

    assertThat(rerun("--resume")).as(stderr()).isZero();
    assertEveryRecordExactlyOnce();
  }

  @Test
  void sigintCommitsWritesAnInterruptedReportExitsWith130AndResumeCompletes() throws Exception {
    Process p = startConversion();
    jvm.awaitFirstCommit(p, out);
    ChildJvm.signal(p, "INT");
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(stderr()).isEqualTo(Main.EXIT_INTERRUPTED);
    assertThat(stderr()).contains("Stopped before the end of the input: kept").contains("--resume");
    assertStoppedCleanly();
    String report = Files.readString(out.resolve("_logs.report.json"));
    assertThat(report).containsPattern("\"status\":\\s*\"interrupted\"");
    long kept = DuckDb.count(out.resolve("*.parquet"));
    assertThat(kept).isPositive().isLessThan(ROWS);
    assertThat(report).containsPattern("\"rowsWritten\":\\s*" + kept + "\\b");

    assertThat(rerun("--resume")).as(stderr()).isZero();
    assertEveryRecordExactlyOnce();
  }

  @Test
  void sigtermBeforeTheFirstCommitCommitsTheOpenFilesAndResumeCompletes() throws Exception {
    // one file per worker, committed at the end of its part: until then nothing is committed
    Process p = conversion(1_000_000).start();
    jvm.await(
        p,
        "a data file staged",
        60,
        5,
        () -> names().stream().anyMatch(n -> n.startsWith(".logs-") && n.endsWith(".inprogress")));
    assertThat(names()).noneMatch(n -> n.endsWith(".parquet") && !n.startsWith("."));
    p.destroy(); // SIGTERM
    assertThat(ChildJvm.exitCode(p)).as(stderr()).isEqualTo(Main.EXIT_TERMINATED);
    assertThat(stderr()).contains("Stopped before the end of the input: kept").contains("--resume");
    assertStoppedCleanly();
    long kept = DuckDb.count(out.resolve("*.parquet"));
    assertThat(kept).as("the open files, committed on the stop").isPositive().isLessThan(ROWS);

    assertThat(rerun("--resume", "--workers", "3")).as(stderr()).isZero();
    assertEveryRecordExactlyOnce();
  }

  @Test
  void sigtermDuringTheManifestWriteFinishesTheRun() throws Exception {
    Process p = startPausedBeforeManifest(3_000);
    p.destroy(); // SIGTERM, with every data file committed and the manifest staged
    int code = ChildJvm.exitCode(p);
    assertThat(code).as(stderr()).isEqualTo(Main.EXIT_TERMINATED);
    assertEveryRecordExactlyOnce();
    assertStoppedCleanly();
    List<List<Object>> manifest =
        DuckDb.query(
            "SELECT count(*), sum(rows) FROM read_json_auto("
                + DuckDb.literal(out.resolve("_logs.manifest.jsonl"))
                + ")");
    assertThat(((Number) manifest.get(0).get(0)).longValue())
        .isEqualTo(names().stream().filter(n -> n.endsWith(".parquet")).count());
    assertThat(((Number) manifest.get(0).get(1)).longValue()).isEqualTo(ROWS);
    assertThat(Files.readString(out.resolve("_logs.report.json")))
        .containsPattern("\"rowsWritten\":\\s*" + ROWS + "\\b");
  }

  @Test
  void afterSigkillDuringTheManifestWriteResumeCompletesTheManifest() throws Exception {
    Process p = startPausedBeforeManifest(60_000);
    assertThat(p.isAlive()).as(stderr()).isTrue();
    ChildJvm.sigkill(p); // with every data file committed and the manifest staged
    assertThat(names())
        .contains("_logs.in-progress.json")
        .doesNotContain("_logs.manifest.jsonl", "_logs.report.json")
        .anyMatch(n -> n.startsWith("._logs.manifest.jsonl.") && n.endsWith(".inprogress"));
    assertEveryRecordExactlyOnce();

    assertThat(rerun("--resume", "--workers", "3")).as(stderr()).isZero();
    assertEveryRecordExactlyOnce();
    assertThat(names())
        .doesNotContain("_logs.in-progress.json")
        .noneMatch(n -> n.endsWith(".inprogress"));
    List<List<Object>> manifest =
        DuckDb.query(
            "SELECT count(*), sum(rows) FROM read_json_auto("
                + DuckDb.literal(out.resolve("_logs.manifest.jsonl"))
                + ")");
    long files = names().stream().filter(n -> n.endsWith(".parquet")).count();
    assertThat(((Number) manifest.get(0).get(0)).longValue()).isEqualTo(files);
    assertThat(((Number) manifest.get(0).get(1)).longValue()).isEqualTo(ROWS);
    // the report too, as if the run had not stopped
    assertThat(Files.readString(out.resolve("_logs.report.json")))
        .containsPattern("\"rowsWritten\":\\s*" + ROWS + "\\b")
        .containsPattern("\"status\":\\s*\"succeeded\"");
  }

  @Test
  void afterSigkillBetweenCommitsTheNextRunRemovesTempFilesAndResumeCompletes() throws Exception {
    Process p = startConversion();
    jvm.awaitFirstCommit(p, out);
    ChildJvm.sigkill(p);
    assertThat(names()).contains("_logs.in-progress.json");
    assertThat(rerun()).as("a plain rerun refuses").isNotZero();
    assertThat(stderr())
        .contains("from a run that did not finish (_logs.in-progress.json is there)")
        .contains("--resume");

    assertThat(rerun("--resume", "--workers", "1")).as(stderr()).isZero();
    assertThat(names())
        .doesNotContain("_logs.in-progress.json")
        .noneMatch(n -> n.endsWith(".inprogress"));
    assertEveryRecordExactlyOnce();
  }

  @Test
  void afterSigkillBeforeTheFirstCommitAPlainRerunRunsAndRemovesTheTempFiles() throws Exception {
    Process p = startConversion();
    // the first staged data file exists: the run is writing, nothing committed yet (the
    // in-progress marker's own short-lived staging file does not count)
    jvm.await(
        p,
        "a data file staged",
        60,
        5,
        () -> names().stream().anyMatch(n -> n.startsWith(".logs-") && n.endsWith(".inprogress")));
    ChildJvm.sigkill(p);
    assertThat(names()).anyMatch(n -> n.startsWith(".logs-") && n.endsWith(".inprogress"));
    assertThat(names()).noneMatch(n -> n.endsWith(".parquet") && !n.startsWith("."));

    assertThat(rerun()).as(stderr()).isZero();
    assertThat(names())
        .doesNotContain("_logs.in-progress.json")
        .noneMatch(n -> n.endsWith(".inprogress"));
    assertEveryRecordExactlyOnce();
  }

  @Test
  void outOfMemoryExitsWithItsOwnCodeNamingTheHeapAndTheBudget() throws Exception {
    ProcessBuilder pb =
        jvm.command(
            "csv",
            csv.toString(),
            "--out",
            out.toString(),
            "--backend",
            "parquet-mr",
            "--memory-budget",
            "2GB",
            "--row-group-size",
            "1GB",
            "--target-file-size",
            "2GB",
            "--workers",
            "1",
            "--no-progress");
    pb.environment().put("PARQUET_INGEST_HEAP", "48m");
    assertThat(ChildJvm.exitCode(pb.start())).as(stderr()).isEqualTo(Main.EXIT_OUT_OF_MEMORY);
    assertThat(stderr())
        .contains("out of memory")
        .contains("PARQUET_INGEST_HEAP")
        .contains("--memory-budget")
        .doesNotContain("java.lang.");

    // what it left blocks nothing: no data file was committed
    assertThat(rerun()).as(stderr()).isZero();
    assertThat(names()).noneMatch(n -> n.endsWith(".inprogress"));
    assertEveryRecordExactlyOnce();
  }
}
