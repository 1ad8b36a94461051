package dev.parquetingest.sqs;

import dev.parquetingest.testing.SharedServerExtension;

/**
 * Gives tests the one {@link SqsServer} of the test JVM: started on first use, kept in the root
 * store, closed by JUnit when the whole run ends. Public for other modules' tests, through this
 * module's test-jar.
 */
public final class SqsServerExtension extends SharedServerExtension<SqsServer> {
  public SqsServerExtension() {
    super(SqsServer.class, "ElasticMQ");
  }

  @Override
  protected SqsServer start() {
    return new SqsServer();
  }
}
