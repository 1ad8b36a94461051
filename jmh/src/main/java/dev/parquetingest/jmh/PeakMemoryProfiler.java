package dev.parquetingest.jmh;

import dev.parquetingest.internal.JvmMetrics;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler for the memory figures of the Go report that JMH's own {@code gc} profiler does
 * not give: peak heap Δ, peak RSS Δ, GC runs and pause per operation, and the Arrow allocator's
 * peak. Use it as {@code -prof dev.parquetingest.jmh.PeakMemoryProfiler}, listed <em>before</em>
 * {@code -prof gc}: JMH calls profilers in order before an iteration and in reverse order after it,
 * so the collection this profiler forces before an iteration is not counted by the other.
 *
 * <p>Per iteration (warm-up iterations are measured too, and discarded by JMH):
 *
 * <ul>
 *   <li>before: a full collection ({@code System.gc()}); the heap in use after it is the baseline
 *       (the live set: input rows, classes, caches); the heap pools' peaks are reset; {@code 5} is
 *       written to {@code /proc/self/clear_refs}, which resets the kernel's peak resident set
 *       ({@code VmHWM}) to the current one; the Arrow peak recorder is reset.
 *   <li>after: {@value #HEAP_DELTA}, the sum of the heap pools' peaks minus the baseline, in MB
 *       (garbage not yet collected included, as in Go's peak heap; the sum of per-pool peaks is an
 *       upper bound, since pools need not peak at the same moment); {@value #RSS_DELTA}, VmHWM
 *       minus the resident set at the start, in MB (only where {@code clear_refs} could be
 *       written); {@value #RSS_PEAK}, VmHWM in MB; {@value #GC_COUNT} and {@value #GC_TIME}, the
 *       collections and their pause time (ms) per operation, from the collectors' MXBeans; {@value
 *       #ARROW_PEAK}, the largest Arrow allocator peak of any file written, in MB (only when the
 *       arrow backend reported one through {@code Encoder.details()}).
 * </ul>
 *
 * <p>Peaks aggregate over iterations by maximum, per-operation figures by average. JMH creates one
 * instance per forked JVM and calls it from one thread; not thread-safe.
 */
public final class PeakMemoryProfiler implements InternalProfiler {
  /** Result label: peak heap above the post-GC baseline, MB. */
  static final String HEAP_DELTA = "\u00b7mem.heap.peak.delta";

  /** Result label: peak resident set above the resident set at the start of the iteration, MB. */
  static final String RSS_DELTA = "\u00b7mem.rss.peak.delta";

  /** Result label: peak resident set of the process during the iteration, MB. */
  static final String RSS_PEAK = "\u00b7mem.rss.peak";

  /** Result label: garbage collections per operation. */
  static final String GC_COUNT = "\u00b7mem.gc.count.per.op";

  /** Result label: garbage collection pause per operation, ms. */
  static final String GC_TIME = "\u00b7mem.gc.time.per.op";

  /** Result label: the largest Arrow allocator peak of a file, MB. */
  static final String ARROW_PEAK = "\u00b7mem.arrow.allocator.peak";

  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
  private static final double MB = 1024.0 * 1024.0;

  private long heapBaseline;
  private long rssBaseline;
  private boolean rssReset;
  private long gcCountBefore;
  private long gcMillisBefore;

  @Override
  public String getDescription() {
    return "peak heap Δ, peak RSS Δ (VmHWM), GC runs and pause per op, Arrow allocator peak";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    System.gc();
    heapBaseline = heapUsed();
    resetHeapPeaks();
    rssReset = resetPeakRss();
    rssBaseline = rssReset ? JvmMetrics.statusKilobytes("VmHWM:") : -1;
    ArrowPeak.reset();
    gcCountBefore = JvmMetrics.gcCount();
    gcMillisBefore = JvmMetrics.gcMillis();
  }

  @Override
  public Collection<ScalarResult> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long gcRuns = JvmMetrics.gcCount() - gcCountBefore;
    long gcMillis = JvmMetrics.gcMillis() - gcMillisBefore;
    long heapPeak = heapPeaks();
    long rssPeak = JvmMetrics.statusKilobytes("VmHWM:");
    long ops = result.getMetadata() == null ? 0 : result.getMetadata().getMeasuredOps();

    List<ScalarResult> results = new ArrayList<>();
    results.add(max(HEAP_DELTA, Math.max(0, heapPeak - heapBaseline) / MB));
    if (rssPeak >= 0) {
      results.add(max(RSS_PEAK, rssPeak / MB));
      if (rssReset && rssBaseline >= 0) {
        results.add(max(RSS_DELTA, Math.max(0, rssPeak - rssBaseline) / MB));
      }
    }
    if (ops > 0) {
      results.add(avg(GC_COUNT, (double) gcRuns / ops, "runs/op"));
      results.add(avg(GC_TIME, (double) gcMillis / ops, "ms/op"));
    }
    long arrow = ArrowPeak.max();
    if (arrow >= 0) {
      results.add(max(ARROW_PEAK, arrow / MB));
    }
    return results;
  }

  private static ScalarResult max(String label, double megabytes) {
    return new ScalarResult(label, megabytes, "MB", AggregationPolicy.MAX);
  }

  private static ScalarResult avg(String label, double value, String unit) {
    return new ScalarResult(label, value, unit, AggregationPolicy.AVG);
  }

  private static List<MemoryPoolMXBean> heapPools() {
    List<MemoryPoolMXBean> pools = new ArrayList<>();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
        pools.add(pool);
      }
    }
    return pools;
  }

  /** The heap in use now, summed over the heap pools. */
  static long heapUsed() {
    long sum = 0;
    for (MemoryPoolMXBean pool : heapPools()) {
      sum += pool.getUsage().getUsed();
    }
    return sum;
  }

  private static void resetHeapPeaks() {
    for (MemoryPoolMXBean pool : heapPools()) {
      pool.resetPeakUsage();
    }
  }

  /** The sum of the heap pools' peaks since they were last reset. */
  static long heapPeaks() {
    long sum = 0;
    for (MemoryPoolMXBean pool : heapPools()) {
      sum += pool.getPeakUsage().getUsed();
    }
    return sum;
  }

  /**
   * Resets the process's peak resident set to the current one (Linux 4.0+; may be refused in a
   * container).
   *
   * @return whether it was reset
   */
  static boolean resetPeakRss() {
    try {
      Files.write(CLEAR_REFS, "5".getBytes(StandardCharsets.US_ASCII));
      return true;
    } catch (IOException | SecurityException | UnsupportedOperationException e) {
      return false;
    }
  }
}
