package dev.parquetingest.runtime;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * The memory of one run's open files, and how many there may be: every open file reserves a slot
 * when it opens ({@link #tryReserveFile()}), reports the change of its measured bytes ({@link
 * #add(long)}) and gives both back when it is committed or aborted ({@link #releaseFile(long)}).
 * Lanes read {@link #overBudget()} to relieve memory (commit their largest files), and close their
 * least recently written file when {@link #tryReserveFile()} finds no slot; {@link
 * dev.parquetingest.IngestMetrics} reads the gauges. Thread-safe.
 */
public final class MemoryBudget {
  private final long budgetBytes;
  private final int maxOpenFiles;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong openFiles = new AtomicLong();
  private final LongAccumulator peakBytes = new LongAccumulator(Math::max, 0);
  private final LongAccumulator peakOpenFiles = new LongAccumulator(Math::max, 0);

  MemoryBudget(long budgetBytes, int maxOpenFiles) {
    this.budgetBytes = budgetBytes;
    this.maxOpenFiles = maxOpenFiles;
  }

  /** The budget in bytes. */
  public long budgetBytes() {
    return budgetBytes;
  }

  /** Bytes the open files hold, as last measured. */
  public long bytes() {
    return bytes.get();
  }

  /** Files open now. */
  public long openFiles() {
    return openFiles.get();
  }

  long peakBytes() {
    return peakBytes.get();
  }

  long peakOpenFiles() {
    return peakOpenFiles.get();
  }

  /** Takes a slot for a file if fewer than {@code maxOpenFiles} are open; false if none is free. */
  boolean tryReserveFile() {
    long n;
    do {
      n = openFiles.get();
      if (n >= maxOpenFiles) {
        return false;
      }
    } while (!openFiles.compareAndSet(n, n + 1));
    peakOpenFiles.accumulate(n + 1);
    return true;
  }

  /**
   * Takes a slot whatever the limit: for a worker with no file open, which has nothing of its own
   * to close (so the limit may be passed by at most one file per worker).
   */
  void reserveFile() {
    peakOpenFiles.accumulate(openFiles.incrementAndGet());
  }

  /** A file's measured bytes changed by {@code delta}. */
  void add(long delta) {
    peakBytes.accumulate(bytes.addAndGet(delta));
  }

  /** A file is committed or aborted: its slot and its last measured bytes are given back. */
  void releaseFile(long measuredBytes) {
    bytes.addAndGet(-measuredBytes);
    openFiles.decrementAndGet();
  }

  boolean overBudget() {
    return bytes.get() > budgetBytes;
  }

  /** Under this after a memory relief: 90 % of the budget. */
  boolean underReliefFloor() {
    return bytes.get() <= budgetBytes - budgetBytes / 10;
  }

  int maxOpenFiles() {
    return maxOpenFiles;
  }

  /** The share of the budget in use, for autoscaling. */
  double share() {
    return bytes.get() / (double) budgetBytes;
  }
}
