package dev.parquetingest.sink.s3;

import dev.parquetingest.testing.SharedServerExtension;

/**
 * Gives tests the one {@link S3Server} of the test JVM: started on first use, kept in the root
 * store, and closed by JUnit when the whole run ends. Public for other modules' tests, through this
 * module's test-jar.
 */
public final class S3ServerExtension extends SharedServerExtension<S3Server> {
  public S3ServerExtension() {
    super(S3Server.class, "s3proxy");
  }

  @Override
  protected S3Server start() throws Exception {
    return new S3Server();
  }
}
