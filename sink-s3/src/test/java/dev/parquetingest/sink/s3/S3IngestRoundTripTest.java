package dev.parquetingest.sink.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.common.DataSize;
import dev.parquetingest.partition.Partitioning;
import dev.parquetingest.testing.DuckDb;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Real Parquet files through {@link ParquetIngest} into S3, read back with DuckDB. */
@ExtendWith(S3ServerExtension.class)
class S3IngestRoundTripTest {
  static final int ROWS = 250_000;

  @Test
  void everyRowArrivesOnceInReadableParquet(S3Server server, @TempDir Path dir) {
    String bucket = server.newBucket();
    IdSource source = new IdSource(ROWS, 100);
    S3SinkMetrics metrics;
    IngestReport report;
    try (S3Sink sink = server.sink(bucket, "warehouse/ids").build()) {
      report =
          ParquetIngest.builder()
              .source(source)
              .sink(sink)
              .targetFileSize(DataSize.ofMegabytes(16))
              .run();
      metrics = sink.metrics();
    }

    List<String> keys = server.keys(bucket);
    assertThat(keys)
        .contains("warehouse/ids/_ids.report.json", "warehouse/ids/ids-00000.parquet")
        .allSatisfy(k -> assertThat(k).startsWith("warehouse/ids/"));
    assertThat(server.uploads(bucket)).isEmpty();
    assertThat(report.files()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(report.files().get(0).location())
        .isEqualTo("s3://" + bucket + "/warehouse/ids/ids-00000.parquet");

    List<Path> files = server.download(bucket, ".parquet", dir);
    assertThat(files).hasSize(report.files().size());
    RoundTrips.assertExactlyIds(files, ROWS);
    assertThat(DuckDb.codecs(files.get(0))).containsExactly("ZSTD");

    // The first file (16MB, 5MB parts) went as a multipart upload of at least 3 parts.
    assertThat(metrics.requests("UploadPart")).isGreaterThanOrEqualTo(3);
    assertThat(metrics.requests("CompleteMultipartUpload")).isGreaterThanOrEqualTo(1);
    assertThat(metrics.retries()).isZero();
    // + the in-progress marker, the manifest and the report
    assertThat(metrics.filesCommitted()).isEqualTo(report.files().size() + 3);
    assertThat(keys).contains("warehouse/ids/_ids.manifest.jsonl");
    assertThat(report.manifestLocation())
        .isEqualTo("s3://" + bucket + "/warehouse/ids/_ids.manifest.jsonl");
    assertThat(source.acknowledged()).isEqualTo(ROWS);
    // the run report carries the sink's counters as they stood before the report was written
    assertThat(report.sinkCounters().get("s3.requests.UploadPart"))
        .isEqualTo(metrics.requests("UploadPart"));
    // read after the marker and the manifest were committed, before the report
    assertThat(report.sinkCounters().get("s3.filesCommitted"))
        .isEqualTo(report.files().size() + 2L);
    assertThat(report.toJson()).contains("\"s3.requests.UploadPart\": ");
  }

  @Test
  void partitionedRowsLandUnderTheirHivePrefixes(S3Server server, @TempDir Path dir) {
    String bucket = server.newBucket();
    long rows = 30_000;
    IngestReport report;
    try (S3Sink sink = server.sink(bucket, "lake/ids").build()) {
      report =
          ParquetIngest.builder()
              .source(new IdSource(rows, 10))
              .sink(sink)
              .transform(new BucketOfId())
              .partitionBy(Partitioning.parse("bucket"))
              .maxRowsPerFile(4_000)
              .run();
    }
    List<String> keys = server.keys(bucket);
    assertThat(keys.stream().filter(k -> k.endsWith(".parquet")))
        .hasSize(report.files().size())
        .allSatisfy(k -> assertThat(k).matches("lake/ids/bucket=[0-4]/ids-\\d{5}\\.parquet"));
    assertThat(server.uploads(bucket)).isEmpty();
    List<Path> files = server.download(bucket, ".parquet", dir);
    RoundTrips.assertExactlyIds(files, rows);
    assertThat(report.files())
        .allSatisfy(f -> assertThat(f.location()).contains("/" + f.partition() + "/"));
    assertThat(
            DuckDb.scalar(
                "SELECT count(*) FROM read_parquet("
                    + DuckDb.literal(files)
                    + ", filename=true)"
                    + " WHERE bucket <> id % 5"))
        .isEqualTo(0L);
  }

  /** Adds {@code bucket = id % 5}. */
  private static final class BucketOfId implements dev.parquetingest.spi.Transformer {
    private static final dev.parquetingest.schema.Schema OUT =
        dev.parquetingest.schema.Schema.builder()
            .required("id", dev.parquetingest.schema.ColumnType.int64())
            .required("payload", dev.parquetingest.schema.ColumnType.binary())
            .required("bucket", dev.parquetingest.schema.ColumnType.int64())
            .build();
    private final dev.parquetingest.schema.MutableRow out =
        new dev.parquetingest.schema.MutableRow(OUT);

    @Override
    public dev.parquetingest.schema.Schema outputSchema(dev.parquetingest.schema.Schema input) {
      return OUT;
    }

    @Override
    public dev.parquetingest.schema.Row apply(dev.parquetingest.schema.Row row) {
      out.setLong(0, row.getLong(0));
      out.setBytes(1, row.bytes(1), row.bytesOffset(1), row.bytesLength(1));
      out.setLong(2, row.getLong(0) % 5);
      return out;
    }
  }
}
