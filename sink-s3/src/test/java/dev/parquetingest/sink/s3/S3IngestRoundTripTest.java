package dev.parquetingest.sink.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.DataSize;
import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
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
    assertThat(metrics.filesCommitted()).isEqualTo(report.files().size() + 1); // + report
    assertThat(source.acknowledged()).isEqualTo(ROWS);
    // the run report carries the sink's counters as they stood before the report was written
    assertThat(report.sinkCounters().get("s3.requests.UploadPart"))
        .isEqualTo(metrics.requests("UploadPart"));
    assertThat(report.sinkCounters().get("s3.filesCommitted")).isEqualTo((long) report.files().size());
    assertThat(report.toJson()).contains("\"s3.requests.UploadPart\": ");
  }
}
