package dev.parquetingest;

import dev.parquetingest.common.FileCommitListener;
import dev.parquetingest.runtime.Counters;
import dev.parquetingest.runtime.MemoryBudget;
import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.SinkCounters;
import java.util.Map;

/**
 * Live counters and gauges of a pipeline, readable from any thread while it runs: pass one to
 * {@link ParquetIngestBuilder#metrics(IngestMetrics)} and read it, or bind it to a Micrometer
 * registry with the {@code parquet-ingest-metrics-micrometer} module. One instance may serve
 * several runs one after another (counters then add up); gauges show the run in progress.
 *
 * <p>Workers publish their counters every few thousand rows and at least every {@link
 * ParquetIngest#TIMER_INTERVAL}, so a reading may lag the truth by that much; at the end of a run
 * the counters are exact and agree with its {@link IngestReport}.
 */
public final class IngestMetrics {
  /** What the runtime writes; this class only reads it. */
  final Counters counters = new Counters();

  public IngestMetrics() {}

  /** Records read from the source (including rejected and filtered ones). */
  public long recordsIn() {
    return counters.recordsIn();
  }

  /** Rows written into files (committed or still open). */
  public long recordsOut() {
    return counters.recordsOut();
  }

  /** Records that could not become rows and went to the rejects output. */
  public long recordsRejected() {
    return counters.recordsRejected();
  }

  /** Records a transformer dropped. */
  public long recordsFiltered() {
    return counters.recordsFiltered();
  }

  /** Files the sink has committed. */
  public long filesCommitted() {
    return counters.filesCommitted();
  }

  /** Files discarded (a failure, or a stop past its deadline). */
  public long filesAborted() {
    return counters.filesAborted();
  }

  /**
   * When the last data file was committed, in epoch milliseconds (0 before the first): what an
   * alert on a stalled pipeline watches.
   */
  public long lastCommitEpochMillis() {
    return counters.lastCommitEpochMillis();
  }

  /**
   * Tells {@code listener} of every data file committed from now on (its size, rows and commit
   * latency), for per-file metrics such as Micrometer timers and distribution summaries.
   */
  public void addFileCommitListener(FileCommitListener listener) {
    counters.addFileCommitListener(listener);
  }

  /** Stops telling {@code listener}; nothing if it was not added. */
  public void removeFileCommitListener(FileCommitListener listener) {
    counters.removeFileCommitListener(listener);
  }

  /** Bytes of committed files. */
  public long bytesCommitted() {
    return counters.bytesCommitted();
  }

  /** Files rolled early because the open files together exceeded the memory budget. */
  public long memoryRolls() {
    return counters.memoryRolls();
  }

  /** Files being written now, across all workers and partitions (the running run's). */
  public long openFiles() {
    MemoryBudget b = counters.budget();
    return b == null ? 0 : b.openFiles();
  }

  /** Bytes the open files hold in memory, as last measured (see the memory budget). */
  public long bufferedBytes() {
    MemoryBudget b = counters.budget();
    return b == null ? 0 : b.bytes();
  }

  /** Workers (encoder threads) running now. */
  public long workers() {
    return counters.workers();
  }

  /** Records waiting in the source (see {@link dev.parquetingest.spi.Source#backlog()}), or -1. */
  public long sourceBacklog() {
    return counters.sourceBacklog();
  }

  /**
   * The source's backlog per partition that this process reads (see {@link
   * dev.parquetingest.spi.SharedSource#backlogByPartition()}), e.g. {@code events/3 -> 1200} for a
   * Kafka topic-partition's lag: an immutable map in the source's order (Kafka: by topic, then
   * partition number), empty for a source without partitions. A partition given up in a rebalance
   * leaves the map.
   */
  public Map<String, Long> sourceBacklogByPartition() {
    return counters.sourceBacklogByPartition();
  }

  /**
   * How long the oldest record read but not yet acknowledged to the source has waited, in
   * milliseconds: the delivery lag. 0 when everything read is acknowledged.
   */
  public long unacknowledgedAgeMillis() {
    return counters.unacknowledgedAgeMillis();
  }

  /** The sink's counters now, e.g. S3 requests by kind and bytes uploaded. */
  public Map<String, Long> sinkCounters() {
    Sink sink = counters.sink();
    if (sink == null) {
      return Map.of();
    }
    try {
      return sink.counters();
    } catch (RuntimeException e) {
      return Map.of();
    }
  }

  /**
   * The sink's typed counters now ({@link Sink#sinkCounters()}); none before a run, or if the sink
   * fails to give them.
   */
  public SinkCounters typedSinkCounters() {
    Sink sink = counters.sink();
    if (sink == null) {
      return SinkCounters.none();
    }
    try {
      return sink.sinkCounters();
    } catch (RuntimeException e) {
      return SinkCounters.none();
    }
  }
}
