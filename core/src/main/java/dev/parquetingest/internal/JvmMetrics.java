package dev.parquetingest.internal;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/**
 * Heap, GC and RSS figures for a run. Peak heap is the most heap <em>in use</em> (used, not
 * committed or reserved) at one moment since {@link #start()}: the heap's total used bytes just
 * before each garbage collection (where usage peaks), taken from the collectors' notifications, and
 * the total used when {@link #peakHeapBytes()} is read. Being one moment's total it never exceeds
 * the maximum heap ({@code -Xmx}). The summed peaks of the heap pools, which need not peak together
 * and so can exceed the maximum heap, are no longer used. Thread-safe: notifications arrive on a
 * JVM thread; {@link #start()} and {@link #stop()} are called once each by the run.
 */
public final class JvmMetrics {
  private static final Path STATUS = Path.of("/proc/self/status");

  /** The type of the notification a HotSpot collector sends after each collection. */
  private static final String GC_NOTIFICATION = "com.sun.management.gc.notification";

  private long gcCountStart;
  private long gcMillisStart;
  private final AtomicLong peakUsed = new AtomicLong();
  private final List<NotificationEmitter> listening = new ArrayList<>();
  private final NotificationListener listener = this::onGc;

  public synchronized void start() {
    gcCountStart = gcCount();
    gcMillisStart = gcMillis();
    peakUsed.set(usedHeapBytes());
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter) {
        NotificationEmitter emitter = (NotificationEmitter) gc;
        emitter.addNotificationListener(listener, n -> GC_NOTIFICATION.equals(n.getType()), null);
        listening.add(emitter);
      }
    }
  }

  /** Stops listening to the collectors; the figures read afterwards stay as they were. */
  public synchronized void stop() {
    peakUsed.accumulateAndGet(usedHeapBytes(), Math::max);
    for (NotificationEmitter emitter : listening) {
      try {
        emitter.removeNotificationListener(listener);
      } catch (ListenerNotFoundException e) {
        // not registered: nothing to remove
      }
    }
    listening.clear();
  }

  /**
   * The most heap in use at one moment since {@link #start()}, in bytes (see the class comment);
   * includes the current use while the run is listening.
   */
  public long peakHeapBytes() {
    synchronized (this) {
      if (!listening.isEmpty()) {
        peakUsed.accumulateAndGet(usedHeapBytes(), Math::max);
      }
    }
    return peakUsed.get();
  }

  /** Heap in use now, over all heap pools. */
  public static long usedHeapBytes() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private void onGc(Notification n, Object handback) {
    if (!(n.getUserData() instanceof CompositeData)) {
      return;
    }
    CompositeData info = (CompositeData) n.getUserData();
    Object gcInfo = info.get("gcInfo");
    if (!(gcInfo instanceof CompositeData)) {
      return;
    }
    Object before = ((CompositeData) gcInfo).get("memoryUsageBeforeGc");
    if (!(before instanceof TabularData)) {
      return;
    }
    Set<String> heap = new HashSet<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heap.add(pool.getName());
      }
    }
    long used = 0;
    for (Object row : ((TabularData) before).values()) {
      CompositeData entry = (CompositeData) row;
      if (heap.contains((String) entry.get("key"))) {
        used += MemoryUsage.from((CompositeData) entry.get("value")).getUsed();
      }
    }
    long sample = used;
    peakUsed.accumulateAndGet(sample, Math::max);
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
