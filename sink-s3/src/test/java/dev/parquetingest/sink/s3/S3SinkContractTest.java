package dev.parquetingest.sink.s3;

import dev.parquetingest.spi.Sink;
import dev.parquetingest.testing.SinkContractTest;
import org.junit.jupiter.api.extension.ExtendWith;

/** The S3 sink keeps the sink contract, against the test S3 server. */
@ExtendWith(S3ServerExtension.class)
class S3SinkContractTest extends SinkContractTest {
  private static final String PREFIX = "contract";
  private final S3Server server;
  private final String bucket;

  S3SinkContractTest(S3Server server) {
    this.server = server;
    this.bucket = server.newBucket();
  }

  @Override
  protected Sink newSink() {
    return server.sink(bucket, PREFIX).build();
  }

  @Override
  protected byte[] committed(Sink sink, String name) {
    String key = PREFIX + "/" + name;
    return server.keys(bucket).contains(key) ? server.get(bucket, key) : null;
  }
}
