package dev.parquetingest.sink.s3;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the one {@link S3Server} of the test JVM: started on first use, kept in the root
 * store, and closed by JUnit when the whole run ends. Public for other modules' tests, through this
 * module's test-jar.
 */
public final class S3ServerExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(S3ServerExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == S3Server.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return server(context);
  }

  public static S3Server server(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            S3Server.class,
            k -> {
              try {
                return new S3Server();
              } catch (Exception e) {
                throw new ParameterResolutionException("Cannot start s3proxy: " + e, e);
              }
            },
            S3Server.class);
  }
}
