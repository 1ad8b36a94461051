package dev.parquetingest.backend.arrow;

import java.util.Locale;
import org.apache.arrow.memory.AllocationManager;
import org.apache.arrow.memory.netty.NettyAllocationManager;
import org.apache.arrow.memory.unsafe.UnsafeAllocationManager;

/**
 * Arrow's allocation managers: where the off-heap memory of the vectors comes from. Both are on the
 * class path; the choice is explicit, never left to Arrow's class-path probing.
 */
enum AllocatorKind {
  /** Netty's pooled direct-memory allocator; bounded by {@code -XX:MaxDirectMemorySize}. */
  NETTY {
    @Override
    AllocationManager.Factory factory() {
      return NettyAllocationManager.FACTORY;
    }
  },
  /** {@code Unsafe.allocateMemory}: unpooled, not bounded by the JVM's direct-memory limit. */
  UNSAFE {
    @Override
    AllocationManager.Factory factory() {
      return UnsafeAllocationManager.FACTORY;
    }
  };

  /** The factory; loading it loads that manager's classes. */
  abstract AllocationManager.Factory factory();

  /** The name used in the {@code arrow.allocator} property and the run report. */
  String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code netty} or {@code unsafe}.
   *
   * @throws IllegalArgumentException naming the property and the accepted values
   */
  static AllocatorKind parse(String text) {
    for (AllocatorKind k : values()) {
      if (k.id().equals(text.trim().toLowerCase(Locale.ROOT))) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "Invalid "
            + ArrowEncoderProvider.ALLOCATOR_PROPERTY
            + " '"
            + text
            + "': expected netty or unsafe");
  }
}
