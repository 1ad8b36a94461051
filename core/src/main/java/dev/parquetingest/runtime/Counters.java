package dev.parquetingest.runtime;

import dev.parquetingest.common.FileCommitListener;
import dev.parquetingest.spi.Sink;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live counters and gauges behind {@link dev.parquetingest.IngestMetrics}: written by the
 * runtime, read from any thread. The memory gauges are the running run's {@link MemoryBudget}. One
 * instance may serve several runs one after another. Thread-safe.
 */
public final class Counters {
  private static final Logger LOG = LoggerFactory.getLogger(Counters.class);

  private final LongAdder recordsIn = new LongAdder();
  private final LongAdder recordsOut = new LongAdder();
  private final LongAdder recordsRejected = new LongAdder();
  private final LongAdder recordsFiltered = new LongAdder();
  private final LongAdder filesCommitted = new LongAdder();
  private final LongAdder filesAborted = new LongAdder();
  private final LongAdder bytesCommitted = new LongAdder();
  private final LongAdder memoryRolls = new LongAdder();
  private final AtomicLong workers = new AtomicLong();
  private final AtomicLong sourceBacklog = new AtomicLong(-1);
  private volatile Map<String, Long> sourceBacklogByPartition = Map.of();
  private final AtomicLong oldestUnacknowledgedNanos = new AtomicLong(-1);
  private final AtomicLong lastCommitMillis = new AtomicLong();
  private final CopyOnWriteArrayList<FileCommitListener> listeners = new CopyOnWriteArrayList<>();
  private volatile MemoryBudget budget;
  private volatile Sink sink;
  private volatile Clock clock = Clock.SYSTEM;

  public long recordsIn() {
    return recordsIn.sum();
  }

  public long recordsOut() {
    return recordsOut.sum();
  }

  public long recordsRejected() {
    return recordsRejected.sum();
  }

  public long recordsFiltered() {
    return recordsFiltered.sum();
  }

  public long filesCommitted() {
    return filesCommitted.sum();
  }

  public long filesAborted() {
    return filesAborted.sum();
  }

  public long bytesCommitted() {
    return bytesCommitted.sum();
  }

  public long memoryRolls() {
    return memoryRolls.sum();
  }

  /** Wall-clock time of the last data file committed, epoch milliseconds; 0 before the first. */
  public long lastCommitEpochMillis() {
    return lastCommitMillis.get();
  }

  public void addFileCommitListener(FileCommitListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public void removeFileCommitListener(FileCommitListener listener) {
    listeners.remove(listener);
  }

  /** The running run's memory budget, or null before the first run. */
  public MemoryBudget budget() {
    return budget;
  }

  public long workers() {
    return workers.get();
  }

  public long sourceBacklog() {
    return sourceBacklog.get();
  }

  /** The source's backlog per partition as last published, in the source's order: immutable. */
  public Map<String, Long> sourceBacklogByPartition() {
    return sourceBacklogByPartition;
  }

  /** The running run's sink, whose counters the metrics show; null before the first run. */
  public Sink sink() {
    return sink;
  }

  /** Milliseconds the oldest unacknowledged record has waited, 0 if none. */
  public long unacknowledgedAgeMillis() {
    long since = oldestUnacknowledgedNanos.get();
    return since < 0 ? 0 : Math.max(0, (clock.nanoTime() - since) / 1_000_000);
  }

  void runStarts(MemoryBudget budget, Sink sink, Clock clock) {
    this.budget = budget;
    this.sink = sink;
    this.clock = clock;
  }

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

  void fileCommitted(long bytes, long rows, long commitNanos) {
    filesCommitted.increment();
    bytesCommitted.add(bytes);
    lastCommitMillis.accumulateAndGet(clock.currentTimeMillis(), Math::max);
    for (FileCommitListener l : listeners) {
      try {
        l.fileCommitted(bytes, rows, commitNanos);
      } catch (RuntimeException e) {
        LOG.warn("A file commit listener failed: {}", e.toString());
      }
    }
  }

  void fileAborted() {
    filesAborted.increment();
  }

  void memoryRoll() {
    memoryRolls.increment();
  }

  /** Returns the new count. */
  long addWorkers(long delta) {
    return workers.addAndGet(delta);
  }

  void sourceBacklog(long records) {
    sourceBacklog.set(records);
  }

  void sourceBacklogByPartition(Map<String, Long> records) {
    sourceBacklogByPartition =
        records.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(records));
  }

  void oldestUnacknowledged(long nanos) {
    oldestUnacknowledgedNanos.set(nanos);
  }
}
