package dev.parquetingest.sink.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.parquetingest.ParquetIngest;
import dev.parquetingest.common.DataSize;
import dev.parquetingest.common.IngestException;
import dev.parquetingest.sink.s3.FaultProxy.Fault;
import dev.parquetingest.sink.s3.FaultProxy.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs a whole ingest through {@link FaultProxy} with faults at each kind of request. Each run
 * writes two files: about 8MB as a multipart upload of two 5MB parts, and the rest as one
 * PutObject. A run either succeeds with every id exactly once, or fails with an exception naming
 * the object, leaving no upload behind and only complete files visible.
 */
@ExtendWith(S3ServerExtension.class)
class S3FaultInjectionTest {
  static final int ROWS = 120_000;
  static final int MAX_ATTEMPTS = 4;

  private final S3Server server;

  S3FaultInjectionTest(S3Server server) {
    this.server = server;
  }

  static Stream<Arguments> transientFaults() {
    return Stream.of(
        Arguments.of(Kind.CREATE, Fault.INTERNAL_ERROR),
        Arguments.of(Kind.CREATE, Fault.SLOW_DOWN),
        Arguments.of(Kind.CREATE, Fault.RESET_MID_BODY),
        Arguments.of(Kind.CREATE, Fault.DELAY),
        Arguments.of(Kind.UPLOAD_PART, Fault.INTERNAL_ERROR),
        Arguments.of(Kind.UPLOAD_PART, Fault.SERVICE_UNAVAILABLE),
        Arguments.of(Kind.UPLOAD_PART, Fault.SLOW_DOWN),
        Arguments.of(Kind.UPLOAD_PART, Fault.RESET_MID_BODY),
        Arguments.of(Kind.UPLOAD_PART, Fault.DELAY),
        Arguments.of(Kind.COMPLETE, Fault.INTERNAL_ERROR),
        Arguments.of(Kind.COMPLETE, Fault.SLOW_DOWN),
        Arguments.of(Kind.COMPLETE, Fault.RESET_AFTER_FORWARD),
        Arguments.of(Kind.COMPLETE, Fault.DELAY),
        Arguments.of(Kind.PUT, Fault.SERVICE_UNAVAILABLE),
        Arguments.of(Kind.PUT, Fault.RESET_MID_BODY),
        Arguments.of(Kind.PUT, Fault.RESET_AFTER_FORWARD),
        Arguments.of(Kind.PUT, Fault.DELAY));
  }

  /** Fewer faults than attempts: the run must succeed with every id exactly once. */
  @ParameterizedTest(name = "{1} twice at {0}")
  @MethodSource("transientFaults")
  void transientFaultsAreRetried(Kind kind, Fault fault) throws Exception {
    String bucket = server.newBucket();
    try (FaultProxy proxy = new FaultProxy(server.endpoint())) {
      proxy.inject(kind, fault, 2);
      S3SinkMetrics metrics = ingest(proxy, bucket);

      assertThat(proxy.injected(kind)).as("faults injected").isEqualTo(2);
      assertThat(metrics.retries()).isGreaterThanOrEqualTo(2);
      assertThat(server.uploads(bucket)).isEmpty();
      List<Path> files = server.download(bucket, ".parquet", Files2.tempDir());
      assertThat(files).hasSize(2);
      RoundTrips.assertExactlyIds(files, ROWS);
    }
  }

  static Stream<Arguments> persistentFaults() {
    return Stream.of(
        Arguments.of(Kind.CREATE, Fault.SERVICE_UNAVAILABLE, "ServiceUnavailable", "ids-0000"),
        Arguments.of(Kind.UPLOAD_PART, Fault.INTERNAL_ERROR, "InternalError", "ids-0000"),
        Arguments.of(Kind.UPLOAD_PART, Fault.RESET_MID_BODY, "upload a part of", "ids-0000"),
        Arguments.of(Kind.COMPLETE, Fault.SLOW_DOWN, "SlowDown", "ids-0000"),
        // the first PUT of a batch run is its in-progress marker, before anything is read
        Arguments.of(Kind.PUT, Fault.INTERNAL_ERROR, "InternalError", "_ids.in-progress.json"));
  }

  /** Every attempt fails: the run must fail loudly and leave nothing half-written. */
  @ParameterizedTest(name = "{1} always at {0}")
  @MethodSource("persistentFaults")
  void persistentFaultsFailTheFileCleanly(Kind kind, Fault fault, String expected, String file)
      throws Exception {
    String bucket = server.newBucket();
    try (FaultProxy proxy = new FaultProxy(server.endpoint())) {
      proxy.inject(kind, fault, -1);
      Throwable failure = catchThrowable(() -> ingest(proxy, bucket));
      assertThat(failure).isInstanceOf(IngestException.class);
      assertThat(messages(failure))
          .contains("s3://" + bucket + "/run/" + file)
          .contains(expected)
          .doesNotContain(S3Server.SECRET_KEY);
      assertThat(proxy.injected(kind)).isGreaterThanOrEqualTo(MAX_ATTEMPTS);
      assertNothingHalfVisible(bucket);
    }
  }

  @Test
  void aNonRetryableErrorFailsAtOnce() throws Exception {
    String bucket = server.newBucket();
    try (FaultProxy proxy = new FaultProxy(server.endpoint())) {
      proxy.inject(Kind.UPLOAD_PART, Fault.ACCESS_DENIED, 1);
      Throwable failure = catchThrowable(() -> ingest(proxy, bucket));
      assertThat(failure).isInstanceOf(IngestException.class);
      assertThat(messages(failure))
          .contains("s3://" + bucket + "/run/ids-00000.parquet: S3 error AccessDenied (HTTP 403)");
      assertThat(proxy.injected(Kind.UPLOAD_PART)).isEqualTo(1);
      assertThat(proxy.seen(Kind.ABORT)).isEqualTo(1);
      assertNothingHalfVisible(bucket);
    }
  }

  /**
   * The messages of the exception and its causes: an encoder may wrap the sink's exception (the one
   * naming the object) in its own.
   */
  private static String messages(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c.getMessage()).append('\n');
    }
    return sb.toString();
  }

  private void assertNothingHalfVisible(String bucket) {
    assertThat(server.uploads(bucket)).as("incomplete uploads").isEmpty();
    List<Path> files = server.download(bucket, ".parquet", Files2.tempDir());
    long rows = RoundTrips.assertReadableWithoutDuplicates(files);
    assertThat(rows).isLessThan(ROWS);
  }

  private S3SinkMetrics ingest(FaultProxy proxy, String bucket) {
    try (S3Sink sink =
        S3Server.sink(proxy.endpoint(), bucket, "run")
            .maxAttempts(MAX_ATTEMPTS)
            .requestTimeout(Duration.ofMillis(1500))
            .build()) {
      ParquetIngest.builder()
          .source(new IdSource(ROWS, 100))
          .sink(sink)
          .targetFileSize(DataSize.ofMegabytes(8))
          .writeReport(false)
          .run();
      return sink.metrics();
    }
  }
}
