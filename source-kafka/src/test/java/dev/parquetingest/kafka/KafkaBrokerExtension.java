package dev.parquetingest.kafka;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the one {@link KafkaBroker} of the test JVM: started on first use, kept in the root
 * store, closed by JUnit when the whole run ends.
 */
public final class KafkaBrokerExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaBrokerExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaBroker.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            KafkaBroker.class,
            k -> {
              try {
                return new KafkaBroker();
              } catch (Exception e) {
                throw new ParameterResolutionException("Cannot start Kafka: " + e, e);
              }
            },
            KafkaBroker.class);
  }
}
