package dev.parquetingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.spi.Encoder;
import dev.parquetingest.testing.DuckDb;
import dev.parquetingest.testing.ParquetFooters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged jar through bin/parquet-ingest, as a user does. */
class LauncherIT {
  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  private Result exec(String... args) throws IOException, InterruptedException {
    return exec(Map.of(), args);
  }

  private Result exec(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ChildJvm(dir).command(args);
    pb.environment().putAll(env);
    int code = ChildJvm.exitCode(pb.start());
    return new Result(
        code,
        Files.readString(dir.resolve("stdout"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8));
  }

  /** Runs the launcher with {@code env} added and checks that it exits 0. */
  private Result succeed(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    Result r = exec(env, args);
    assertThat(r.code())
        .as("exit code of %s %s; stderr: %s", env, String.join(" ", args), r.err())
        .isZero();
    return r;
  }

  private Result succeed(String... args) throws IOException, InterruptedException {
    return succeed(Map.of(), args);
  }

  /** Generates {@code rows} rows of {@code dataset} into {@code name} in the test's directory. */
  private Path generate(String dataset, int rows, int seed, String name)
      throws IOException, InterruptedException {
    Path file = dir.resolve(name);
    succeed(
        "generate",
        dataset,
        "--rows",
        Integer.toString(rows),
        "--seed",
        Integer.toString(seed),
        "--out",
        file.toString());
    return file;
  }

  @Test
  void startsFromAClassDataArchiveBuiltOnceForThisJarAndJava() throws Exception {
    Path csv = generate("reviews", 3000, 4, "reviews.csv");
    Path jarDir = Path.of("target").toAbsolutePath();
    List<Path> archives;
    try (var s = Files.list(jarDir)) {
      archives = s.filter(f -> f.getFileName().toString().endsWith(".jsa")).toList();
    }
    assertThat(archives).as("archive next to the jar after a first run").isNotEmpty();
    // -Xshare:on turns an archive the JVM cannot map into a start-up error
    Result run =
        succeed(Map.of("JAVA_OPTS", "-Xshare:on"), "csv", csv.toString(), "--out", dir + "/o");
    assertThat(run.err()).isEmpty();
    assertThat(DuckDb.count(dir.resolve("o/reviews-00000.parquet"))).isEqualTo(3000);
    // switched off, the launcher adds no archive: -Xshare:on then maps only the JDK's own
    succeed(
        Map.of("JAVA_OPTS", "-Xshare:on", "PARQUET_INGEST_CDS", "0"),
        "csv",
        csv.toString(),
        "--out",
        dir + "/o2");
  }

  @Test
  void compilesWithC1AloneForAnInputUnderAGigabyteAndTieredOtherwise() throws Exception {
    Path csv = generate("reviews", 500, 5, "reviews.csv");
    Map<String, String> flags = Map.of("JAVA_OPTS", "-XX:+PrintFlagsFinal");
    String c1 = "TieredStopAtLevel\\s+= 1\\s";
    Result small = succeed(flags, "csv", csv.toString(), "--out", dir + "/o1");
    assertThat(small.out()).containsPattern(c1);
    // no input file (here: only the version): tiered, as for standard input, Kafka and SQS
    Result none = succeed(flags, "--version");
    assertThat(none.out()).containsPattern("TieredStopAtLevel\\s+= 4\\s").doesNotContainPattern(c1);
    Result forced =
        succeed(
            Map.of("JAVA_OPTS", "-XX:+PrintFlagsFinal", "PARQUET_INGEST_JIT", "tiered"),
            "csv",
            csv.toString(),
            "--out",
            dir + "/o2");
    assertThat(forced.out()).doesNotContainPattern(c1);
  }

  @Test
  void generateAndConvertThroughTheLauncher() throws Exception {
    Path csv = generate("logs", 5000, 2, "logs.csv");
    Path out = dir.resolve("out");
    Result run = succeed("csv", csv.toString(), "--out", out.toString());
    assertThat(run.out()).contains("Wrote 5,000 rows to 1 file");
    // stderr is not a terminal here: no progress bar
    assertThat(run.err()).doesNotContain("rows/s");
    assertThat(DuckDb.count(out.resolve("logs-00000.parquet"))).isEqualTo(5000);
  }

  @Test
  void everyBackendIsBundledAndWritesTheSameRows() throws Exception {
    Path csv = generate("reviews", 4000, 3, "reviews.csv");
    for (String backend : new String[] {"parquet-mr", "arrow", "auto"}) {
      Path out = dir.resolve("out-" + backend);
      Result run =
          succeed(
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
    Path csv = generate("reviews", 2000, 4, "quiet.csv");
    for (String backend : new String[] {"parquet-mr", "arrow", "auto"}) {
      Result run =
          succeed(
              "csv",
              csv.toString(),
              "--out",
              dir.resolve("quiet-" + backend).toString(),
              "--backend",
              backend);
      assertThat(run.err())
          .as("stderr with " + backend + " on Java " + Runtime.version())
          .doesNotContainIgnoringCase("warning");
    }
    Result help = succeed("csv", "--help");
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
    Path csv = generate("reviews", 5000, 5, "parts.csv");
    Result run =
        succeed(
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
    assertThat(run.err()).startsWith("WARN Memory budget 1048576 bytes is too small for ");
    assertThat(run.out()).contains("Wrote 5,000 rows");
  }

  @Test
  void exitCodesReachTheShell() throws Exception {
    assertThat(exec("csv", dir.resolve("missing.csv").toString(), "--out", dir.toString()).code())
        .isEqualTo(3);
    assertThat(exec("csv", "--bogus").code()).isEqualTo(2);
    Result help = succeed("--help");
    assertThat(help.out()).contains("csv").contains("generate");
  }
}
