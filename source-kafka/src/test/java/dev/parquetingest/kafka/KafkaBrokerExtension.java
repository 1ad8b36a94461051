package dev.parquetingest.kafka;

import dev.parquetingest.testing.SharedServerExtension;

/**
 * Gives tests the one {@link KafkaBroker} of the test JVM: started on first use, kept in the root
 * store, closed by JUnit when the whole run ends.
 */
public final class KafkaBrokerExtension extends SharedServerExtension<KafkaBroker> {
  public KafkaBrokerExtension() {
    super(KafkaBroker.class, "Kafka");
  }

  @Override
  protected KafkaBroker start() throws Exception {
    return new KafkaBroker();
  }
}
