package dev.parquetingest.sqs;

import dev.parquetingest.spi.Source;
import dev.parquetingest.testing.SourceContractTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** A reader of an {@link SqsSource} keeps the source contract, against ElasticMQ. */
@ExtendWith(SqsServerExtension.class)
class SqsReaderContractTest extends SourceContractTest {
  private final SqsServer sqs;
  private SqsSource shared;

  SqsReaderContractTest(SqsServer sqs) {
    this.sqs = sqs;
  }

  @Override
  protected Source newSource(int records) {
    String queue = sqs.newQueue();
    sqs.send(queue, SqsSourceTest.bodies(0, records));
    shared = sqs.source(queue).json(SqsSourceTest.SCHEMA).build();
    shared.open();
    return shared.newReader();
  }

  @Override
  protected boolean endless() {
    return true;
  }

  @AfterEach
  void closeSource() {
    if (shared != null) {
      shared.close();
    }
  }
}
