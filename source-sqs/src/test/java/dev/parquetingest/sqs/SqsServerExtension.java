package dev.parquetingest.sqs;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the one {@link SqsServer} of the test JVM: started on first use, kept in the root
 * store, closed by JUnit when the whole run ends.
 */
final class SqsServerExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SqsServerExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == SqsServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            SqsServer.class,
            k -> {
              try {
                return new SqsServer();
              } catch (RuntimeException e) {
                throw new ParameterResolutionException("Cannot start ElasticMQ: " + e, e);
              }
            },
            SqsServer.class);
  }
}
