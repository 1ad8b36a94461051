package dev.parquetingest.backend.arrow;

import dev.parquetingest.common.IngestException;
import java.nio.ByteBuffer;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * Checks the JVM access Arrow's memory layer needs before any Arrow memory class is initialised
 * (its static initialiser fails with an error that does not say which backend or setting is
 * involved). Stateless.
 */
final class JvmAccess {
  private JvmAccess() {}

  /**
   * The {@code --add-opens} flag that is missing, or null when {@code java.nio} is open to Arrow.
   * Arrow reads {@code java.nio.Buffer}'s address field reflectively; on JDK 17 and later that
   * needs {@code java.nio} opened to the module Arrow lives in (the unnamed module on the class
   * path).
   */
  static String missingFlag() {
    // A class literal loads without initialising: MemoryUtil's initialiser is what would fail.
    Module arrow = MemoryUtil.class.getModule();
    if (ByteBuffer.class.getModule().isOpen("java.nio", arrow)) {
      return null;
    }
    return "--add-opens=java.base/java.nio=" + (arrow.isNamed() ? arrow.getName() : "ALL-UNNAMED");
  }

  /**
   * @throws IngestException naming the exact flag to add when it is missing
   */
  static void check() {
    String flag = missingFlag();
    if (flag != null) {
      throw new IngestException(
          "Cannot use the arrow encoder: the JVM was started without "
              + flag
              + ", which Arrow needs to address off-heap memory. Add it to the java command line"
              + " (or JDK_JAVA_OPTIONS), or choose the parquet-mr encoder");
    }
  }
}
