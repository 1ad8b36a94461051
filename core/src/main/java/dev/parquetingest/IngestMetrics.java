package dev.parquetingest;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Live counters and gauges of a pipeline, readable from any thread while it runs: pass one to
 * {@link ParquetIngest.Builder#metrics(IngestMetrics)} and read it, or bind it to a Micrometer
 * registry with the {@code parquet-ingest-metrics-micrometer} module. One instance may serve
 * several runs one after another (counters then add up); gauges show the run in progress.
 *
 * <p>Workers publish their counters every few thousand rows and at least every {@link
 * ParquetIngest#TIMER_INTERVAL}, so a reading may lag the truth by that much; at the end of a run
 * the counters are exact and agree with its {@link IngestReport}.
 */
public final class IngestMetrics {
  private final LongAdder recordsIn = new LongAdder();
  private final LongAdder recordsOut = new LongAdder();
  private final LongAdder recordsRejected = new LongAdder();
  private final LongAdder recordsFiltered = new LongAdder();
  private final LongAdder filesCommitted = new LongAdder();
  private final LongAdder filesAborted = new LongAdder();
  private final LongAdder bytesCommitted = new LongAdder();
  private final LongAdder memoryRolls = new LongAdder();
  private final AtomicLong openFiles = new AtomicLong();
  private final AtomicLong bufferedBytes = new AtomicLong();
  private final AtomicLong workers = new AtomicLong();
  private final AtomicLong sourceBacklog = new AtomicLong(-1);
  private final AtomicLong oldestUnacknowledgedNanos = new AtomicLong(-1);
  private volatile Supplier<Map<String, Long>> sinkCounters = Map::of;

  public IngestMetrics() {}

  /** Records read from the source (including rejected and filtered ones). */
  public long recordsIn() {
    return recordsIn.sum();
  }

  /** Rows written into files (committed or still open). */
  public long recordsOut() {
    return recordsOut.sum();
  }

  /** Records that could not become rows and went to the rejects output. */
  public long recordsRejected() {
    return recordsRejected.sum();
  }

  /** Records a transformer dropped. */
  public long recordsFiltered() {
    return recordsFiltered.sum();
  }

  /** Files the sink has committed. */
  public long filesCommitted() {
    return filesCommitted.sum();
  }

  /** Files discarded (a failure, or a stop past its deadline). */
  public long filesAborted() {
    return filesAborted.sum();
  }

  /** Bytes of committed files. */
  public long bytesCommitted() {
    return bytesCommitted.sum();
  }

  /** Files rolled early because the open files together exceeded the memory budget. */
  public long memoryRolls() {
    return memoryRolls.sum();
  }

  /** Files being written now, across all workers and partitions. */
  public long openFiles() {
    return openFiles.get();
  }

  /** Bytes the open files hold in memory, as last measured (see the memory budget). */
  public long bufferedBytes() {
    return bufferedBytes.get();
  }

  /** Workers (encoder threads) running now. */
  public long workers() {
    return workers.get();
  }

  /** Records waiting in the source (see {@link dev.parquetingest.spi.Source#backlog()}), or -1. */
  public long sourceBacklog() {
    return sourceBacklog.get();
  }

  /**
   * How long the oldest record read but not yet acknowledged to the source has waited, in
   * milliseconds: the delivery lag. 0 when everything read is acknowledged.
   */
  public long unacknowledgedAgeMillis() {
    long since = oldestUnacknowledgedNanos.get();
    return since < 0 ? 0 : Math.max(0, (System.nanoTime() - since) / 1_000_000);
  }

  /** The sink's counters now, e.g. S3 requests by kind and bytes uploaded. */
  public Map<String, Long> sinkCounters() {
    try {
      return sinkCounters.get();
    } catch (RuntimeException e) {
      return Map.of();
    }
  }

  // ---- written by the runtime ----

  void addRecords(long in, long out, long rejected, long filtered) {
    if (in != 0) {
      recordsIn.add(in);
    }
    if (out != 0) {
      recordsOut.add(out);
    }
    if (rejected != 0) {
      recordsRejected.add(rejected);
    }
    if (filtered != 0) {
      recordsFiltered.add(filtered);
    }
  }

  void fileCommitted(long bytes) {
    filesCommitted.increment();
    bytesCommitted.add(bytes);
  }

  void fileAborted() {
    filesAborted.increment();
  }

  void memoryRoll() {
    memoryRolls.increment();
  }

  /** Returns the new count. */
  long addOpenFiles(long delta) {
    return openFiles.addAndGet(delta);
  }

  /** Returns the new total. */
  long addBufferedBytes(long delta) {
    return bufferedBytes.addAndGet(delta);
  }

  long bufferedBytesNow() {
    return bufferedBytes.get();
  }

  /** Returns the new count. */
  long addWorkers(long delta) {
    return workers.addAndGet(delta);
  }

  void sourceBacklog(long records) {
    sourceBacklog.set(records);
  }

  /** Lanes report their oldest unacknowledged record; the run keeps the oldest of all. */
  void oldestUnacknowledged(long nanos) {
    oldestUnacknowledgedNanos.set(nanos);
  }

  void sinkCounters(Supplier<Map<String, Long>> counters) {
    this.sinkCounters = counters;
  }
}
