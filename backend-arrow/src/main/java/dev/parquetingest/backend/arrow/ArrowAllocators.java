package dev.parquetingest.backend.arrow;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * One Arrow root allocator per {@link AllocatorKind}, created on first use and kept for the life of
 * the JVM (as Arrow's own default root is). Encoders never allocate from a root directly: each open
 * file takes a child allocator with its own limit and closes it with the file, so a root holding
 * memory means a leak. Thread-safe.
 */
final class ArrowAllocators {
  private static final RootAllocator[] ROOTS = new RootAllocator[AllocatorKind.values().length];

  private ArrowAllocators() {}

  /** The root of {@code kind}, created with that allocation manager on first use. */
  static synchronized BufferAllocator root(AllocatorKind kind) {
    RootAllocator root = ROOTS[kind.ordinal()];
    if (root == null) {
      root =
          new RootAllocator(
              RootAllocator.configBuilder()
                  .allocationManagerFactory(kind.factory())
                  .maxAllocation(Long.MAX_VALUE)
                  .build());
      ROOTS[kind.ordinal()] = root;
    }
    return root;
  }

  /** Bytes held by all files' allocators of every kind that has been used (0 when none leak). */
  static synchronized long allocatedBytes() {
    long total = 0;
    for (RootAllocator root : ROOTS) {
      if (root != null) {
        total += root.getAllocatedMemory();
      }
    }
    return total;
  }

  /** Child allocators still open across every kind (0 when every file has been closed). */
  static synchronized int openChildren() {
    int n = 0;
    for (RootAllocator root : ROOTS) {
      if (root != null) {
        n += root.getChildAllocators().size();
      }
    }
    return n;
  }
}
