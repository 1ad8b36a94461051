package dev.parquetingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.spi.Encoder;
import dev.parquetingest.testing.DuckDb;
import dev.parquetingest.testing.ParquetFooters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged jar through bin/parquet-ingest, as a user does. */
class LauncherIT {
  @TempDir Path dir;

  private static Path launcher() {
    Path p = Path.of("..", "bin", "parquet-ingest").toAbsolutePath().normalize();
    assertThat(p).exists();
    return p;
  }

  private record Result(int code, String out, String err) {}

  private Result exec(String... args) throws IOException, InterruptedException {
    return exec(Map.of(), args);
  }

  private Result exec(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(launcher().toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment()
        .put(
            "PARQUET_INGEST_JAR",
            Path.of("target", "parquet-ingest.jar").toAbsolutePath().toString());
    pb.environment().put("PARQUET_INGEST_HEAP", "256m");
    pb.environment().putAll(env);
    Path stdout = dir.resolve("stdout");
    Path stderr = dir.resolve("stderr");
    pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(
        p.exitValue(),
        Files.readString(stdout, StandardCharsets.UTF_8),
        Files.readString(stderr, StandardCharsets.UTF_8));
  }

  @Test
  void startsFromAClassDataArchiveBuiltOnceForThisJarAndJava() throws Exception {
    Path csv = dir.resolve("reviews.csv");
    assertThat(
            exec("generate", "reviews", "--rows", "3000", "--seed", "4", "--out", csv.toString())
                .code())
        .isZero();
    Path jarDir = Path.of("target").toAbsolutePath();
    List<Path> archives;
    try (var s = Files.list(jarDir)) {
      archives = s.filter(f -> f.getFileName().toString().endsWith(".jsa")).toList();
    }
    assertThat(archives).as("archive next to the jar after a first run").isNotEmpty();
    // -Xshare:on turns an archive the JVM cannot map into a start-up error
    Result run =
        exec(Map.of("JAVA_OPTS", "-Xshare:on"), "csv", csv.toString(), "--out", dir + "/o");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(DuckDb.count(dir.resolve("o/reviews-00000.parquet"))).isEqualTo(3000);
    // switched off, the launcher adds no archive: -Xshare:on then maps only the JDK's own
    Result off =
        exec(
            Map.of("JAVA_OPTS", "-Xshare:on", "PARQUET_INGEST_CDS", "0"),
            "csv",
            csv.toString(),
            "--out",
            dir + "/o2");
    assertThat(off.code()).as(off.err()).isZero();
  }

  @Test
  void compilesWithC1AloneForAnInputUnderAGigabyteAndTieredOtherwise() throws Exception {
    Path csv = dir.resolve("reviews.csv");
    assertThat(
            exec("generate", "reviews", "--rows", "500", "--seed", "5", "--out", csv.toString())
                .code())
        .isZero();
    Map<String, String> flags = Map.of("JAVA_OPTS", "-XX:+PrintFlagsFinal");
    String c1 = "TieredStopAtLevel\\s+= 1\\s";
    Result small = exec(flags, "csv", csv.toString(), "--out", dir + "/o1");
    assertThat(small.code()).as(small.err()).isZero();
    assertThat(small.out()).containsPattern(c1);
    // no input file (here: only the version): tiered, as for standard input, Kafka and SQS
    Result none = exec(flags, "--version");
    assertThat(none.code()).as(none.err()).isZero();
    assertThat(none.out()).containsPattern("TieredStopAtLevel\\s+= 4\\s").doesNotContainPattern(c1);
    Result forced =
        exec(
            Map.of("JAVA_OPTS", "-XX:+PrintFlagsFinal", "PARQUET_INGEST_JIT", "tiered"),
            "csv",
            csv.toString(),
            "--out",
            dir + "/o2");
    assertThat(forced.code()).as(forced.err()).isZero();
    assertThat(forced.out()).doesNotContainPattern(c1);
  }

  @Test
  void generateAndConvertThroughTheLauncher() throws Exception {
    Path csv = dir.resolve("logs.csv");
    Result gen = exec("generate", "logs", "--rows", "5000", "--seed", "2", "--out", csv.toString());
    assertThat(gen.code()).as(gen.err()).isZero();
    Path out = dir.resolve("out");
    Result run = exec("csv", csv.toString(), "--out", out.toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("Wrote 5,000 rows to 1 file");
    // stderr is not a terminal here: no progress bar
    assertThat(run.err()).doesNotContain("rows/s");
    assertThat(DuckDb.count(out.resolve("logs-00000.parquet"))).isEqualTo(5000);
  }

  @Test
  void everyBackendIsBundledAndWritesTheSameRows() throws Exception {
    Path csv = dir.resolve("reviews.csv");
    assertThat(
            exec("generate", "reviews", "--rows", "4000", "--seed", "3", "--out", csv.toString())
                .code())
        .isZero();
    for (String backend : new String[] {"parquet-mr", "arrow", "auto"}) {
      Path out = dir.resolve("out-" + backend);
      Result run =
          exec(
              "csv",
              csv.toString(),
              "--out",
              out.toString(),
              "--backend",
              backend,
              "--arrow-chunk-rows",
              "1000",
              "--arrow-allocator",
              "unsafe",
              "--json");
      assertThat(run.code()).as(backend + ": " + run.err()).isZero();
      assertThat(run.out()).contains("\"encoder\": \"" + backend + "\"");
    }
    Path arrow = dir.resolve("out-arrow/reviews-00000.parquet");
    Path mr = dir.resolve("out-parquet-mr/reviews-00000.parquet");
    // arrow: the same rows (its own columnar writer, not the same bytes), EXCEPT ALL both ways
    for (Path[] pair : new Path[][] {{arrow, mr}, {mr, arrow}}) {
      assertThat(
              DuckDb.query(
                  "SELECT count(*) FROM ((SELECT * FROM read_parquet("
                      + DuckDb.literal(pair[0])
                      + ")) EXCEPT ALL (SELECT * FROM read_parquet("
                      + DuckDb.literal(pair[1])
                      + ")))"))
          .containsExactly(List.of(0L));
    }
    assertThat(DuckDb.count(arrow)).isEqualTo(4000);
    // auto, for files of unknown size, is parquet-mr: the same bytes, but for the run id that each
    // run writes into its footers (parquet-ingest.run-id, the same length in every run)
    Path auto = dir.resolve("out-auto/reviews-00000.parquet");
    String autoRun = runId(auto);
    String mrRun = runId(mr);
    assertThat(autoRun).isNotEqualTo(mrRun).hasSameSizeAs(mrRun);
    String autoBytes = new String(Files.readAllBytes(auto), StandardCharsets.ISO_8859_1);
    assertThat(autoBytes.indexOf(autoRun)).isPositive().isEqualTo(autoBytes.lastIndexOf(autoRun));
    assertThat(autoBytes.replace(autoRun, mrRun))
        .isEqualTo(new String(Files.readAllBytes(mr), StandardCharsets.ISO_8859_1));
  }

  private static String runId(Path parquet) {
    return ParquetFooters.read(parquet)
        .getFileMetaData()
        .getKeyValueMetaData()
        .get(Encoder.RUN_ID_KEY);
  }

  /**
   * On the JDK running this build (CI runs it on 17 and 25), the launcher's flags keep the JVM
   * quiet for every backend, and picocli formats every help text and usage error.
   */
  @Test
  void printsNoWarningsOnThisJdk() throws Exception {
    Path csv = dir.resolve("quiet.csv");
    assertThat(
            exec("generate", "reviews", "--rows", "2000", "--seed", "4", "--out", csv.toString())
                .code())
        .isZero();
    for (String backend : new String[] {"parquet-mr", "arrow", "auto"}) {
      Result run =
          exec(
              "csv",
              csv.toString(),
              "--out",
              dir.resolve("quiet-" + backend).toString(),
              "--backend",
              backend);
      assertThat(run.code()).as(backend + ": " + run.err()).isZero();
      assertThat(run.err())
          .as("stderr with " + backend + " on Java " + Runtime.version())
          .doesNotContainIgnoringCase("warning");
    }
    Result help = exec("csv", "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out() + help.err())
        .doesNotContainIgnoringCase("warn")
        .contains("% of the maximum heap");
    Result usage = exec("csv", "--bogus");
    assertThat(usage.code()).isEqualTo(2);
    assertThat(usage.err()).doesNotContainIgnoringCase("warn");
  }

  /** The library's warnings are not swallowed (the CLI used to bind slf4j-nop). */
  @Test
  void libraryWarningsReachStderr() throws Exception {
    Path csv = dir.resolve("parts.csv");
    assertThat(
            exec("generate", "reviews", "--rows", "5000", "--seed", "5", "--out", csv.toString())
                .code())
        .isZero();
    Result run =
        exec(
            "csv",
            csv.toString(),
            "--out",
            dir.resolve("parts").toString(),
            "--partition-by",
            "marketplace",
            "--memory-budget",
            "1MB",
            "--workers",
            "1");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.err()).startsWith("WARN Memory budget 1048576 bytes is too small for ");
    assertThat(run.out()).contains("Wrote 5,000 rows");
  }

  @Test
  void exitCodesReachTheShell() throws Exception {
    assertThat(exec("csv", dir.resolve("missing.csv").toString(), "--out", dir.toString()).code())
        .isEqualTo(3);
    assertThat(exec("csv", "--bogus").code()).isEqualTo(2);
    Result help = exec("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("csv").contains("generate");
  }
}
