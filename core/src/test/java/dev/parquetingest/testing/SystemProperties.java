package dev.parquetingest.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * System properties a test sets (the AWS SDK's default credentials chain reads {@code
 * aws.accessKeyId} and {@code aws.secretAccessKey} from them), put back as they were by {@link
 * #close()}: a property that was absent is cleared again. Not thread-safe; the properties are the
 * JVM's, so tests that set the same ones must not run at the same time.
 */
public final class SystemProperties implements AutoCloseable {
  private final Map<String, String> before = new LinkedHashMap<>();

  /** Sets {@code key} to {@code value}, remembering its value before the first set. */
  public SystemProperties set(String key, String value) {
    before.putIfAbsent(key, System.getProperty(key));
    System.setProperty(key, value);
    return this;
  }

  /** Puts back every property set since the last close; idempotent. */
  @Override
  public void close() {
    before.forEach(
        (k, v) -> {
          if (v == null) {
            System.clearProperty(k);
          } else {
            System.setProperty(k, v);
          }
        });
    before.clear();
  }
}
