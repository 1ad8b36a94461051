package dev.parquetingest.sink.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Options are checked when set, and agree when built. No server needed. */
class S3SinkBuilderTest {
  @Test
  void locationGivesBucketAndPrefix() {
    try (S3Sink sink =
        S3Sink.builder(URI.create("s3://my-bucket/warehouse/reviews/"))
            .region("eu-west-1")
            .credentialsProvider(S3Server.credentials())
            .build()) {
      assertThat(sink.bucket()).isEqualTo("my-bucket");
      assertThat(sink.prefix()).isEqualTo("warehouse/reviews");
      assertThat(sink.describe()).isEqualTo("s3://my-bucket/warehouse/reviews");
      assertThat(sink.keyFor("a.parquet")).isEqualTo("warehouse/reviews/a.parquet");
    }
    try (S3Sink root =
        S3Sink.builder(URI.create("s3://my-bucket"))
            .region("eu-west-1")
            .credentialsProvider(S3Server.credentials())
            .build()) {
      assertThat(root.prefix()).isEmpty();
      assertThat(root.keyFor("a.parquet")).isEqualTo("a.parquet");
      assertThat(root.describe()).isEqualTo("s3://my-bucket");
    }
  }

  @Test
  void badLocationsAreRefused() {
    for (String bad : new String[] {"http://b/p", "s3:///p", "s3://b/p?x=1", "file:/tmp"}) {
      assertThatThrownBy(() -> S3Sink.builder(URI.create(bad)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Invalid location '" + bad + "'");
    }
    assertThatThrownBy(() -> S3Sink.builder().prefix("a/../b"))
        .hasMessageContaining("Invalid prefix 'a/../b'");
    assertThatThrownBy(() -> S3Sink.builder().bucket("Upper"))
        .hasMessageStartingWith("Invalid bucket 'Upper'");
  }

  @Test
  void optionsAreCheckedWhenSet() {
    S3Sink.Builder b = S3Sink.builder();
    assertThatThrownBy(() -> b.maxPartsInFlight(0))
        .hasMessage("Invalid maxPartsInFlight 0: must be between 1 and 64");
    assertThatThrownBy(() -> b.maxAttempts(0))
        .hasMessage("Invalid maxAttempts 0: must be between 1 and 100");
    assertThatThrownBy(() -> b.requestTimeout(Duration.ofMillis(5)))
        .hasMessageStartingWith("Invalid requestTimeout");
    assertThatThrownBy(() -> b.retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageStartingWith("Invalid retryBackoff");
    assertThatThrownBy(() -> b.endpointOverride(URI.create("ftp://x")))
        .hasMessageStartingWith("Invalid endpointOverride 'ftp://x'");
    assertThatThrownBy(() -> b.region("EU WEST"))
        .hasMessageStartingWith("Invalid region 'EU WEST'");
  }

  @Test
  void buildChecksThatOptionsAgree() {
    assertThatThrownBy(() -> S3Sink.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Cannot build S3Sink: no bucket set");
    assertThatThrownBy(() -> S3Sink.builder().bucket("bkt").kmsKeyId("k").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("kmsKeyId is set but serverSideEncryption is");
  }
}
