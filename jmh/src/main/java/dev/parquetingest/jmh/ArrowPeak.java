package dev.parquetingest.jmh;

import dev.parquetingest.spi.Encoder;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The largest Arrow allocator peak reported by any encoder since the last {@link #reset()}: the
 * benchmarks {@link #record} each finished encoder, and {@link PeakMemoryProfiler} reads and resets
 * it around every iteration. Encoders that do not report {@value #DETAIL} leave it untouched (-1
 * when nothing was recorded). Thread-safe.
 */
final class ArrowPeak {
  /** The key of {@link Encoder#details()} that the arrow backend fills. */
  static final String DETAIL = "arrow.allocator.peak-bytes";

  private static final AtomicLong MAX = new AtomicLong(-1);

  private ArrowPeak() {}

  /** Notes {@code encoder}'s allocator peak, if it reports one. */
  static void record(Encoder encoder) {
    String peak = encoder.details().get(DETAIL);
    if (peak != null) {
      long bytes = Long.parseLong(peak);
      MAX.accumulateAndGet(bytes, Math::max);
    }
  }

  /** The largest peak recorded since the last reset, or -1 if none. */
  static long max() {
    return MAX.get();
  }

  static void reset() {
    MAX.set(-1);
  }
}
