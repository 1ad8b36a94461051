package dev.parquetingest.backend.parquetmr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.ParquetIngest;
import dev.parquetingest.testing.DuckDb;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 partitions, all open at once, under a 256 MB heap: with a 150 MB memory budget the run
 * completes with every row once; with the budget lifted the same run dies of OutOfMemoryError,
 * which shows that the budget is what keeps it alive. With 50,000 partitions the open-file limit
 * ({@code maxOpenFiles}) keeps the run alive in the default budget. Each run is a child JVM ({@link
 * ManyPartitionsMain}).
 */
class ManyPartitionsIT {
  private static final long ROWS = 1_200_000;
  private static final int PARTITIONS = 1_000;
  private static final String HEAP = "-Xmx256m";

  private static Process run(Path out, String budget, Path log) throws IOException {
    return run(out, ROWS, PARTITIONS, budget, log);
  }

  private static Process run(Path out, long rows, int partitions, String budget, Path log)
      throws IOException {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            HEAP,
            "-cp",
            System.getProperty("java.class.path"),
            ManyPartitionsMain.class.getName(),
            out.toString(),
            Long.toString(rows),
            Integer.toString(partitions),
            budget)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static long field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\": (-?\\d+)").matcher(json);
    assertThat(m.find()).as("%s in the report", name).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void theBudgetKeepsAThousandOpenPartitionsInASmallHeap(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("budget.log");
    Path out = dir.resolve("out");
    Process p = run(out, "150MB", log);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("child finished").isTrue();
    String report = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(report).isZero();
    assertThat(report).contains("\"status\": \"succeeded\"");
    assertThat(field(report, "peakOpenFiles")).isEqualTo(PARTITIONS);
    assertThat(field(report, "memoryRolls")).isPositive();
    assertThat(
            DuckDb.query(
                "SELECT count(*), count(DISTINCT id), count(DISTINCT k), min(id), max(id)"
                    + " FROM read_parquet("
                    + DuckDb.literal(out)
                    + " || '/*/*.parquet')"))
        .containsExactly(List.of(ROWS, ROWS, (long) PARTITIONS, 0L, ROWS - 1));
  }

  @Test
  void withoutTheBudgetTheSameRunRunsOutOfMemory(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("nobudget.log");
    Process p = run(dir.resolve("out"), "64GB", log);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("child finished").isTrue();
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isNotZero();
    assertThat(output).contains("OutOfMemoryError");
  }

  /**
   * 50,000 partitions, one row each, in the heap the CLI runs with and the default memory budget:
   * the open files are bounded (the least recently written ones are finished first), so the run
   * completes with every row once instead of dying of OutOfMemoryError with every partition open.
   */
  @Test
  void fiftyThousandPartitionsCompleteInTheDefaultHeap(@TempDir Path dir) throws Exception {
    long rows = 50_000;
    int partitions = 50_000;
    Path log = dir.resolve("many.log");
    Path out = dir.resolve("out");
    Process p = run(out, rows, partitions, "default", log);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("child finished").isTrue();
    String report = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(report).isZero();
    assertThat(report).contains("\"status\": \"succeeded\"");
    assertThat(field(report, "peakOpenFiles")).isEqualTo(ParquetIngest.DEFAULT_MAX_OPEN_FILES);
    assertThat(
            DuckDb.query(
                "SELECT count(*), count(DISTINCT id), count(DISTINCT k), min(id), max(id)"
                    + " FROM read_parquet("
                    + DuckDb.literal(out)
                    + " || '/*/*.parquet')"))
        .containsExactly(List.of(rows, rows, (long) partitions, 0L, rows - 1));
  }
}
