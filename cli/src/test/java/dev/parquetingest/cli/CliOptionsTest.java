package dev.parquetingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.common.DataSize;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.testing.DuckDb;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Usage errors speak the CLI's language (its option names and limits, no library internals), and
 * the options that map to library settings reach the run.
 */
class CliOptionsTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out), new PrintWriter(err));
  }

  private Path csv() throws Exception {
    Path csv = dir.resolve("in.csv");
    Files.writeString(csv, "id,name\n1,a\n2,b\n3,c\n");
    return csv;
  }

  @Test
  void workersOutOfRangeNamesTheOptionAndItsLimits() throws Exception {
    assertThat(run("csv", csv().toString(), "--out", dir.resolve("o").toString(), "--workers", "0"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("Invalid --workers 0: must be from 1 to 1024")
        .doesNotContain("min <= max");
    assertThat(dir.resolve("o")).doesNotExist();
  }

  @Test
  void anUnknownBackendListsTheBackendsWithoutInternals() throws Exception {
    assertThat(
            run("csv", csv().toString(), "--out", dir.resolve("o").toString(), "--backend", "arow"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("Invalid --backend 'arow': use arrow, auto, parquet-mr")
        .doesNotContain("META-INF")
        .doesNotContain("dev.parquetingest");
  }

  @Test
  void s3PartSizeLimitsMatchTheHelp() throws Exception {
    assertThat(run("csv", csv().toString(), "--out", "s3://bucket/p", "--s3-part-size", "2GB"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("Invalid --s3-part-size 2GB: must be from 5MB to 1GB");
    StringWriter help = new StringWriter();
    Main.run(
        new String[] {"csv", "--help"}, new PrintWriter(help), new PrintWriter(new StringWriter()));
    assertThat(help.toString().replaceAll("\\s+", " ")).contains("multipart part size, 5MB..1GB");
  }

  @Test
  void encryptionOptionsNeedAnS3OutputAndAKmsKeyNeedsKms() throws Exception {
    assertThat(
            run("csv", csv().toString(), "--out", dir.resolve("o").toString(), "--s3-sse", "kms"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("only with --out s3://bucket/prefix");
    assertThat(
            run(
                "csv",
                csv().toString(),
                "--out",
                "s3://bucket/p",
                "--s3-sse",
                "aes256",
                "--s3-kms-key-id",
                "alias/x"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("Invalid --s3-kms-key-id with --s3-sse aes256");
    assertThat(run("csv", csv().toString(), "--out", "s3://bucket/p", "--s3-sse", "rot13"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("Invalid --s3-sse 'rot13': use bucket-default, aes256 or kms");
  }

  @Test
  void maxFileAgeRollsFilesAndTakesShortDurations() throws Exception {
    CsvCommand.DurationConverter d = new CsvCommand.DurationConverter();
    assertThat(d.convert("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.convert("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(d.convert("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(d.convert("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(d.convert("PT2M")).isEqualTo(Duration.ofMinutes(2));
    assertThat(
            run(
                "csv",
                csv().toString(),
                "--out",
                dir.resolve("o").toString(),
                "--max-file-age",
                "soon"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("'soon' is not a duration");

    // a file older than its age limit is rolled: with 1ms every file holds about one batch of rows
    Path big = dir.resolve("big.csv");
    StringBuilder sb = new StringBuilder("id,name\n");
    for (int i = 0; i < 200_000; i++) {
      sb.append(i).append(",name-").append(i % 97).append('\n');
    }
    Files.writeString(big, sb);
    Path o = dir.resolve("aged");
    assertThat(
            run(
                "csv",
                big.toString(),
                "--out",
                o.toString(),
                "--workers",
                "1",
                "--max-file-age",
                "1ms",
                "--no-progress"))
        .as(err.toString())
        .isZero();
    List<Path> files;
    try (var s = Files.list(o)) {
      files = s.filter(p -> p.toString().endsWith(".parquet")).toList();
    }
    assertThat(files).hasSizeGreaterThan(1);
    assertThat(
            DuckDb.scalar(
                "SELECT count(DISTINCT id) FROM read_parquet("
                    + DuckDb.literal(o)
                    + " || '/*.parquet')"))
        .isEqualTo(200_000L);
  }

  @Test
  void partitionTimeZoneDecidesTheDayOfATimestamp() throws Exception {
    Path csv = dir.resolve("ts.csv");
    Files.writeString(csv, "id,ts\n1,2026-11-21T23:30:00Z\n2,2026-11-21T12:00:00Z\n");
    Path schema = dir.resolve("schema.txt");
    Files.writeString(schema, "id: int64\nts: timestamp(micros)\n");
    Path utc = dir.resolve("utc");
    assertThat(
            run(
                "csv",
                csv.toString(),
                "--out",
                utc.toString(),
                "--schema",
                schema.toString(),
                "--partition-by",
                "day(ts)",
                "--no-progress"))
        .as(err.toString())
        .isZero();
    assertThat(utc.resolve("dt=2026-11-21")).isDirectory();
    assertThat(utc.resolve("dt=2026-11-22")).doesNotExist();
    Path berlin = dir.resolve("berlin");
    assertThat(
            run(
                "csv",
                csv.toString(),
                "--out",
                berlin.toString(),
                "--schema",
                schema.toString(),
                "--partition-by",
                "day(ts)",
                "--partition-time-zone",
                "Europe/Berlin",
                "--no-progress"))
        .as(err.toString())
        .isZero();
    assertThat(
            DuckDb.scalar(
                "SELECT id FROM read_parquet("
                    + DuckDb.literal(berlin.resolve("dt=2026-11-22"))
                    + " || '/*.parquet')"))
        .isEqualTo(1L);
    assertThat(
            DuckDb.scalar(
                "SELECT id FROM read_parquet("
                    + DuckDb.literal(berlin.resolve("dt=2026-11-21"))
                    + " || '/*.parquet')"))
        .isEqualTo(2L);

    assertThat(
            run(
                "csv",
                csv.toString(),
                "--out",
                dir.resolve("x").toString(),
                "--partition-time-zone",
                "UTC"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("Invalid --partition-time-zone: only with --partition-by");
    assertThat(
            run(
                "csv",
                csv.toString(),
                "--out",
                dir.resolve("x").toString(),
                "--partition-by",
                "day(ts)",
                "--partition-time-zone",
                "Mars/Olympus"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("Invalid --partition-time-zone 'Mars/Olympus'");
  }

  @Test
  void rowGroupsByDefaultTakeAThirdOfTheMemoryBudgetSplitOverTheWorkers() {
    // the launcher's case: 60 % of 256 MB, 2 workers
    DataSize budget = DataSize.ofBytes(256L * 1024 * 1024 / 100 * 60);
    assertThat(CsvCommand.defaultRowGroupSize(2, budget).toBytes())
        .isEqualTo(budget.toBytes() / 3 / 2)
        .isLessThan(32L << 20);
    // capped at the library's 128MB, never below 16MB
    assertThat(CsvCommand.defaultRowGroupSize(1, DataSize.ofBytes(4L << 30)))
        .isEqualTo(EncoderOptions.DEFAULT_ROW_GROUP_SIZE);
    assertThat(CsvCommand.defaultRowGroupSize(8, DataSize.ofBytes(64L << 20)).toBytes())
        .isEqualTo(16L << 20);
    // without --memory-budget: 60 % of this JVM's heap
    long heapBudget = Runtime.getRuntime().maxMemory() / 100 * 60;
    assertThat(CsvCommand.defaultMemoryBudget().toBytes()).isEqualTo(heapBudget);
    assertThat(CsvCommand.defaultRowGroupSize(2, null).toBytes())
        .isEqualTo(Math.max(16L << 20, Math.min(128L << 20, heapBudget / 3 / 2)));
  }
}
