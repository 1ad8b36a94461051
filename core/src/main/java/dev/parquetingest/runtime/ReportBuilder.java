package dev.parquetingest.runtime;

import dev.parquetingest.common.RunInterruptedException;
import dev.parquetingest.internal.JvmMetrics;
import dev.parquetingest.internal.Version;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Adds up what a run's lanes, budget, rejects and manifest did into its {@link RunTotals}. */
final class ReportBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(ReportBuilder.class);

  private ReportBuilder() {}

  static RunTotals totals(
      RunContext run, JvmMetrics jvm, int scaleEvents, long rowsDropped, RuntimeException failure) {
    PipelineConfig config = run.config;
    RunTotals t = new RunTotals();
    t.source = config.sourceName();
    t.sink = config.sink().describe();
    t.encoder = config.encoderName();
    t.workers = (int) Math.max(1, run.peakWorkers.get());
    t.scaleEvents = scaleEvents;
    t.sourceBacklogByPartition = config.counters().sourceBacklogByPartition();
    t.version = Version.VERSION;
    t.runId = run.runId;
    t.startEpochMillis = run.startEpochMillis;
    t.endEpochMillis = config.clock().currentTimeMillis();
    t.options = config.effectiveOptions();
    t.schema = run.schema;
    // a resumed run reports as if it had not stopped: the kept files are written rows too
    for (CommittedFile f : run.kept) {
      t.rowsWritten += f.rows();
      t.bytesOut += f.bytes();
      t.files.add(f.withoutColumns());
    }
    t.rowsRejected += run.carriedRejects;
    for (Lane lane : run.lanes) {
      LaneStats s = lane.stats;
      t.perWorker.add(
          new RunTotals.Worker(lane.index, s.rowsWritten, s.readNanos, s.encodeNanos, s.sinkNanos));
      t.rowsRead += s.rowsRead;
      t.rowsWritten += s.rowsWritten;
      t.rowsRejected += s.rowsRejected;
      t.rowsFiltered += s.rowsFiltered;
      t.rowsAborted += s.rowsAborted;
      t.memoryRolls += s.memoryRolls;
      t.readNanos += s.readNanos;
      t.encodeNanos += s.encodeNanos;
      t.sinkNanos += s.sinkNanos;
      t.bytesOut += s.bytesOut;
      t.bytesIn += lane.source.bytesRead();
      t.files.addAll(s.files);
    }
    if (run.lanes.isEmpty() && config.source() != null) {
      t.bytesIn = config.source().bytesRead();
    }
    t.rowsAborted += rowsDropped;
    t.rejectsLocation = run.rejects.lastLocation();
    t.manifestLocation = run.manifest.lastLocation();
    t.memoryBudgetBytes = run.budget.budgetBytes();
    t.peakBufferedBytes = run.budget.peakBytes();
    t.peakOpenFiles = run.budget.peakOpenFiles();
    t.interrupted = failure instanceof RunInterruptedException;
    t.error =
        failure == null
            ? null
            : failure.getMessage() == null ? failure.toString() : failure.getMessage();
    t.encoderDetails = run.details.snapshot();
    try {
      t.sinkCounters = config.sink().counters();
    } catch (RuntimeException e) {
      LOG.warn("Cannot read the sink's counters: {}", e.toString());
    }
    t.wallNanos = config.clock().nanoTime() - run.startNanos;
    t.peakHeapBytes = jvm.peakHeapBytes();
    t.peakRssBytes = JvmMetrics.peakRssBytes();
    t.gcCount = jvm.gcCountSinceStart();
    t.gcMillis = jvm.gcMillisSinceStart();
    return t;
  }
}
