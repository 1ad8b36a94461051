package dev.parquetingest.internal;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Heap, GC and RSS figures for a run. Peak heap is the sum of the heap pools' peaks since {@link
 * #start()} (an upper bound: pools need not peak together). Not thread-safe.
 */
public final class JvmMetrics {
  private static final Path STATUS = Path.of("/proc/self/status");

  private long gcCountStart;
  private long gcMillisStart;

  public void start() {
    for (MemoryPoolMXBean pool : heapPools()) {
      pool.resetPeakUsage();
    }
    gcCountStart = gcCount();
    gcMillisStart = gcMillis();
  }

  public long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : heapPools()) {
      sum += Math.max(0, pool.getPeakUsage().getUsed());
    }
    return sum;
  }

  public long gcCountSinceStart() {
    return gcCount() - gcCountStart;
  }

  public long gcMillisSinceStart() {
    return gcMillis() - gcMillisStart;
  }

  /** The process's peak resident set (VmHWM) in bytes, or -1 where unavailable. */
  public static long peakRssBytes() {
    return statusKilobytes("VmHWM:");
  }

  /** The process's current resident set (VmRSS) in bytes, or -1 where unavailable. */
  public static long rssBytes() {
    return statusKilobytes("VmRSS:");
  }

  /** A {@code kB} line of {@code /proc/self/status} (e.g. {@code VmHWM:}) in bytes, or -1. */
  public static long statusKilobytes(String key) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(key)) {
          String[] parts = line.substring(key.length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  private static List<MemoryPoolMXBean> heapPools() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP && p.isValid())
        .toList();
  }

  /** Collections so far, over all collectors. */
  public static long gcCount() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionCount());
    }
    return n;
  }

  /** Milliseconds spent collecting so far, over all collectors. */
  public static long gcMillis() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionTime());
    }
    return n;
  }
}
