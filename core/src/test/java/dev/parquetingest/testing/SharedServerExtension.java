package dev.parquetingest.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the one server of type {@code S} of the test JVM, as a parameter of that type:
 * started by {@link #start()} on first use, kept in the root store, and closed by JUnit (as an
 * {@link AutoCloseable} store value) when the whole run ends. A subclass names the server and says
 * how to start it; each test makes its own topics, queues or buckets on the shared server.
 *
 * <p>Thread-safe: the root store starts the server at most once.
 *
 * @param <S> the server's type, the parameter type it resolves
 */
public abstract class SharedServerExtension<S extends AutoCloseable> implements ParameterResolver {
  private final Class<S> type;
  private final String name;

  /**
   * @param type the server's class, the parameter type this extension resolves
   * @param name the server's name in a failure to start it ("Cannot start {@code name}: ...")
   */
  protected SharedServerExtension(Class<S> type, String name) {
    this.type = type;
    this.name = name;
  }

  /**
   * Starts a new server, listening on 127.0.0.1 and ready for requests when it returns.
   *
   * @throws Exception when the server cannot start; tests asking for it fail with it as the cause
   */
  protected abstract S start() throws Exception;

  @Override
  public final boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == type;
  }

  @Override
  public final Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return server(context);
  }

  /**
   * The test JVM's server, started now if no test has used it yet.
   *
   * @throws ParameterResolutionException if it cannot start
   */
  public final S server(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(getClass()))
        .getOrComputeIfAbsent(type, k -> startOrFail(), type);
  }

  private S startOrFail() {
    try {
      return start();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new ParameterResolutionException("Cannot start " + name + ": " + e, e);
    }
  }
}
