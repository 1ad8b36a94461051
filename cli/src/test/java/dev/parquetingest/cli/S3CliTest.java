package dev.parquetingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.datagen.Dataset;
import dev.parquetingest.sink.s3.FaultProxy;
import dev.parquetingest.sink.s3.S3Server;
import dev.parquetingest.sink.s3.S3ServerExtension;
import dev.parquetingest.testing.DuckDb;
import dev.parquetingest.testing.DuckDbTypes;
import dev.parquetingest.testing.ParquetFooters;
import dev.parquetingest.testing.SystemProperties;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The CLI against a real S3-compatible server (s3proxy, in process): {@code csv --out
 * s3://bucket/prefix} with the endpoint, region and path-style options, credentials from the SDK's
 * default chain (the {@code aws.accessKeyId} / {@code aws.secretAccessKey} system properties).
 */
@ExtendWith(S3ServerExtension.class)
class S3CliTest {
  /**
   * About 41MB of CSV, 12MB of Parquet: enough for one file of more than one part. The CLI has no
   * part-size option, so parts are the sink's default 8MB (60,000 rows make only about 7MB).
   */
  static final int ROWS = 100_000;

  static final String PREFIX = "some/prefix";

  /** The system properties the SDK's default credentials chain reads, and their values before. */
  private static final SystemProperties PROPERTIES = new SystemProperties();

  @TempDir static Path shared;
  static Path csv;

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void credentialsAndData() {
    PROPERTIES
        .set("aws.accessKeyId", S3Server.ACCESS_KEY)
        .set("aws.secretAccessKey", S3Server.SECRET_KEY);
    csv = shared.resolve("reviews.csv");
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code =
        Main.run(
            new String[] {
              "generate",
              "reviews",
              "--rows",
              String.valueOf(ROWS),
              "--seed",
              "7",
              "--out",
              csv.toString()
            },
            new PrintWriter(o),
            new PrintWriter(e));
    assertThat(code).as(e.toString()).isZero();
  }

  @AfterAll
  static void restoreProperties() {
    PROPERTIES.close();
  }

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return Main.run(args, new PrintWriter(out), new PrintWriter(err));
  }

  private static String[] toS3(S3Server server, Path input, String location, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "csv",
                input.toString(),
                "--out",
                location,
                "--s3-endpoint",
                server.endpoint().toString(),
                "--s3-region",
                "us-east-1",
                "--s3-path-style",
                "--no-progress"));
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }

  /** Every object under the prefix: key to ETag. */
  private static Map<String, String> objects(S3Server server, String bucket, String prefix) {
    Map<String, String> objects = new TreeMap<>();
    for (S3Object o :
        server
            .admin()
            .listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix + "/"))
            .contents()) {
      objects.put(o.key(), o.eTag());
    }
    return objects;
  }

  @Test
  void convertsIntoTheBucketAndRefusesToOverwrite(S3Server server) throws Exception {
    String bucket = server.newBucket();
    String location = "s3://" + bucket + "/" + PREFIX;
    // One worker, so that one file grows past the sink's 8MB part size (multipart upload); 9MB
    // files, so that the rest of the data goes to a second, smaller file (a single PutObject).
    String[] command = toS3(server, csv, location, "--target-file-size", "9MB", "--workers", "1");
    assertThat(run(command)).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("Wrote 100,000 rows to ")
        .contains(location)
        .contains("  s3: ");
    assertThat(err.toString()).isEmpty();

    Map<String, String> objects = objects(server, bucket, PREFIX);
    List<String> parquetKeys = new ArrayList<>();
    for (String key : objects.keySet()) {
      if (key.endsWith(".parquet")) {
        parquetKeys.add(key);
      }
    }
    assertThat(parquetKeys)
        .hasSizeGreaterThanOrEqualTo(2)
        .startsWith(PREFIX + "/reviews-00000.parquet", PREFIX + "/reviews-00001.parquet");
    String reportKey = PREFIX + "/_reviews.report.json";
    String manifestKey = PREFIX + "/_reviews.manifest.jsonl";
    assertThat(objects.keySet())
        .as("everything under the prefix: the files, the manifest and the report, no rejects")
        .containsExactlyInAnyOrderElementsOf(concat(concat(parquetKeys, reportKey), manifestKey));
    // the manifest lists every data file once, with its row count
    String manifest = new String(server.get(bucket, manifestKey), StandardCharsets.UTF_8);
    assertThat(
            manifest
                .lines()
                .map(l -> l.replaceAll(".*\"location\":\"s3://[^/]*/([^\"]*)\".*", "$1")))
        .containsExactlyInAnyOrderElementsOf(parquetKeys);
    assertThat(server.keys(bucket)).allSatisfy(k -> assertThat(k).startsWith(PREFIX + "/"));
    assertThat(server.uploads(bucket)).as("multipart uploads left behind").isEmpty();

    // Download; every file is ZSTD throughout, and together they hold exactly the CSV's rows.
    List<Path> files = new ArrayList<>();
    for (String key : parquetKeys) {
      Path file = dir.resolve(key.substring(key.lastIndexOf('/') + 1));
      Files.write(file, server.get(bucket, key));
      files.add(file);
      assertZstd(file);
    }
    assertSameRowsAsCsv(csv, files);
    long largest = files.stream().mapToLong(S3CliTest::size).max().orElseThrow();
    assertThat(largest).as("largest file, to need more than one 8MB part").isGreaterThan(8L << 20);

    // The run report, beside the files, carries the S3 request counters.
    String report = new String(server.get(bucket, reportKey), StandardCharsets.UTF_8);
    assertThat(report).contains("\"status\": \"succeeded\"").contains("\"rowsWritten\": " + ROWS);
    Map<String, Long> counters = counters(report);
    assertThat(counters)
        // read after the in-progress marker and the manifest were committed, before the report
        .containsEntry("s3.filesCommitted", parquetKeys.size() + 2L)
        // the marker, removed at the end
        .containsEntry("s3.requests.DeleteObject", 1L)
        .containsEntry("s3.retries", 0L);
    assertThat(counters.get("s3.requests.CreateMultipartUpload"))
        .as(report)
        .isGreaterThanOrEqualTo(1L);
    assertThat(counters.get("s3.requests.UploadPart")).as(report).isGreaterThanOrEqualTo(2L);
    assertThat(counters.get("s3.requests.CompleteMultipartUpload"))
        .as(report)
        .isGreaterThanOrEqualTo(1L);
    assertThat(counters.get("s3.requests.PutObject")).as(report).isGreaterThanOrEqualTo(1L);
    assertThat(counters.get("s3.requests"))
        .as(report)
        .isGreaterThan(counters.get("s3.requests.UploadPart"));
    for (String key : parquetKeys) {
      assertThat(report).contains("\"location\": \"s3://" + bucket + "/" + key + "\"");
    }

    // The same command again: refused before anything is written, the objects as they were.
    Map<String, byte[]> before = new TreeMap<>();
    for (String key : objects.keySet()) {
      before.put(key, server.get(bucket, key));
    }
    int again = run(command);
    assertThat(again).as(out + "\n" + err).isNotZero();
    assertThat(err.toString())
        .contains(location)
        .contains("data files of prefix 'reviews'")
        .contains("--overwrite")
        .contains("--resume")
        .doesNotContain("\tat ");
    assertThat(objects(server, bucket, PREFIX)).isEqualTo(objects);
    for (Map.Entry<String, byte[]> e : before.entrySet()) {
      assertThat(server.get(bucket, e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
    }
    assertThat(server.uploads(bucket)).isEmpty();
  }

  @Test
  void aMissingBucketIsAClearErrorWithoutAStackTrace(S3Server server) throws Exception {
    Path small = dir.resolve("small.csv");
    assertThat(
            run("generate", "reviews", "--rows", "500", "--seed", "3", "--out", small.toString()))
        .isZero();
    String bucket = "no-such-bucket-" + System.nanoTime();
    int code = run(toS3(server, small, "s3://" + bucket + "/p"));
    assertThat(code).as(out + "\n" + err).isNotZero().isNotEqualTo(2);
    assertThat(err.toString())
        .startsWith("parquet-ingest: ")
        .contains("s3://" + bucket + "/p")
        .contains("NoSuchBucket")
        .doesNotContain("\tat ")
        .doesNotContain("Exception");
    assertThat(out.toString()).doesNotContain("Wrote");
  }

  @Test
  void s3OptionsWithoutAnS3OutputAreAUsageError() {
    String local = dir.resolve("o").toString();
    assertThat(run("csv", "x.csv", "--out", local, "--s3-endpoint", "http://127.0.0.1:9"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--s3-endpoint").contains("s3://");
    assertThat(run("csv", "x.csv", "--out", local, "--s3-region", "us-east-1")).isEqualTo(2);
    assertThat(run("csv", "x.csv", "--out", local, "--s3-path-style")).isEqualTo(2);
    assertThat(Files.exists(dir.resolve("o"))).isFalse();
  }

  @Test
  void anS3LocationThatIsNotAUriIsAUsageErrorNamingTheOption() {
    assertThat(run("csv", "x.csv", "--out", "s3://")).isEqualTo(2);
    assertThat(err.toString()).startsWith("parquet-ingest: Invalid --out 's3://': ");
    assertThat(run("csv", "x.csv", "--out", "s3://bucket/with space")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("parquet-ingest: Invalid --out 's3://bucket/with space': ");
    assertThat(run("csv", "x.csv", "--out", "s3://Not_A_Bucket/x")).isEqualTo(2);
    assertThat(err.toString()).contains("Invalid location 's3://Not_A_Bucket/x'");
  }

  @Test
  void theSchemeIsCaseInsensitiveAsInTheSink(S3Server server) throws Exception {
    Path small = dir.resolve("small.csv");
    assertThat(
            run("generate", "reviews", "--rows", "200", "--seed", "5", "--out", small.toString()))
        .isZero();
    String bucket = server.newBucket();
    // was: a usage error with the S3 options, and without them a local directory "S3:/bucket/..."
    assertThat(run(toS3(server, small, "S3://" + bucket + "/upper"))).as(err.toString()).isZero();
    assertThat(server.keys(bucket))
        .containsExactly(
            "upper/_small.manifest.jsonl", "upper/_small.report.json", "upper/small-00000.parquet");
  }

  @Test
  void encryptionOptionsReachEveryObjectWritten(S3Server server) throws Exception {
    Path small = dir.resolve("small.csv");
    assertThat(
            run("generate", "reviews", "--rows", "200", "--seed", "6", "--out", small.toString()))
        .isZero();
    String bucket = server.newBucket();
    try (FaultProxy proxy = new FaultProxy(server.endpoint())) {
      List<String> args =
          new ArrayList<>(
              List.of(toS3(server, small, "s3://" + bucket + "/enc", "--s3-sse", "aes256")));
      args.set(args.indexOf("--s3-endpoint") + 1, proxy.endpoint().toString());
      assertThat(run(args.toArray(new String[0]))).as(err.toString()).isZero();
      assertThat(proxy.headers(FaultProxy.Kind.PUT))
          .as("the in-progress marker, the data file, the manifest and the report")
          .hasSize(4)
          .allSatisfy(h -> assertThat(h).containsEntry("x-amz-server-side-encryption", "AES256"));
    }
    try (FaultProxy proxy = new FaultProxy(server.endpoint())) {
      List<String> args =
          new ArrayList<>(
              List.of(
                  toS3(
                      server,
                      small,
                      "s3://" + bucket + "/kms",
                      "--s3-kms-key-id",
                      "alias/ingest")));
      args.set(args.indexOf("--s3-endpoint") + 1, proxy.endpoint().toString());
      run(args.toArray(new String[0])); // s3proxy has no KMS: only the headers matter here
      assertThat(proxy.headers(FaultProxy.Kind.PUT))
          .isNotEmpty()
          .first()
          .satisfies(
              h ->
                  assertThat(h)
                      .containsEntry("x-amz-server-side-encryption", "aws:kms")
                      .containsEntry(
                          "x-amz-server-side-encryption-aws-kms-key-id", "alias/ingest"));
    }
  }

  /** DuckDB reads the CSV itself, with the data set's types; both sides hold the same rows. */
  private static void assertSameRowsAsCsv(Path csv, List<Path> parquet) {
    String fromCsv =
        "SELECT * FROM read_csv("
            + DuckDb.literal(csv)
            + ", header=true, quote='\"', escape='\"',"
            + " columns="
            + DuckDbTypes.columns(Dataset.REVIEWS.schema())
            + ")";
    String fromParquet = "SELECT * FROM read_parquet(" + DuckDb.literal(parquet) + ")";
    assertThat(DuckDb.scalar("SELECT count(*) FROM (" + fromCsv + ")")).isEqualTo((long) ROWS);
    assertThat(DuckDb.scalar("SELECT count(*) FROM (" + fromParquet + ")")).isEqualTo((long) ROWS);
    assertThat(
            DuckDb.scalar(
                "SELECT count(*) FROM ((" + fromCsv + ") EXCEPT ALL (" + fromParquet + "))"))
        .as("CSV rows missing from the Parquet files")
        .isEqualTo(0L);
    assertThat(
            DuckDb.scalar(
                "SELECT count(*) FROM ((" + fromParquet + ") EXCEPT ALL (" + fromCsv + "))"))
        .as("Parquet rows not in the CSV")
        .isEqualTo(0L);
  }

  /** Every column chunk of every row group says ZSTD, in parquet-java's reading of the footer. */
  private static void assertZstd(Path file) {
    List<BlockMetaData> blocks = ParquetFooters.read(file).getBlocks();
    assertThat(blocks).as(file.toString()).isNotEmpty();
    for (BlockMetaData block : blocks) {
      for (ColumnChunkMetaData column : block.getColumns()) {
        assertThat(column.getCodec())
            .as(file + " " + column.getPath())
            .isEqualTo(CompressionCodecName.ZSTD);
      }
    }
  }

  /** The report's {@code sinkCounters}. */
  private static Map<String, Long> counters(String reportJson) {
    int start = reportJson.indexOf("\"sinkCounters\"");
    assertThat(start).as(reportJson).isNotNegative();
    String section = reportJson.substring(start, reportJson.indexOf('}', start));
    Map<String, Long> counters = new TreeMap<>();
    Matcher m = Pattern.compile("\"([^\"]+)\": (\\d+)").matcher(section);
    while (m.find()) {
      counters.put(m.group(1), Long.parseLong(m.group(2)));
    }
    return counters;
  }

  private static List<String> concat(List<String> list, String more) {
    List<String> all = new ArrayList<>(list);
    all.add(more);
    return all;
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
