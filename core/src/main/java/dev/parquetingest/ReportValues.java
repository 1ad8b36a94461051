package dev.parquetingest;

import dev.parquetingest.runtime.RunTotals;
import dev.parquetingest.schema.Schema;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The values of an {@link IngestReport}, copied once from the run's {@link RunTotals}: times as
 * {@link Instant} and {@link Duration}, every map in key order (the backlog per partition in the
 * source's order) and unmodifiable, workers and files as the report's nested types. Immutable.
 */
record ReportValues(
    boolean succeeded,
    boolean interrupted,
    String error,
    String version,
    String runId,
    Instant startTime,
    Instant endTime,
    Map<String, String> options,
    Schema schema,
    List<IngestReport.WorkerReport> perWorker,
    String source,
    String sink,
    String encoder,
    int workers,
    Map<String, String> encoderDetails,
    Map<String, Long> sinkCounters,
    long rowsRead,
    long rowsWritten,
    long rowsRejected,
    long rowsFiltered,
    long rowsAborted,
    long memoryBudgetBytes,
    String manifestLocation,
    long peakBufferedBytes,
    long peakOpenFiles,
    long memoryRolls,
    int scaleEvents,
    Map<String, Long> sourceBacklogByPartition,
    List<IngestReport.FileReport> files,
    String rejectsLocation,
    long bytesIn,
    long bytesOut,
    Duration readTime,
    Duration encodeTime,
    Duration sinkTime,
    Duration wallTime,
    long peakHeapBytes,
    long peakRssBytes,
    long gcCount,
    Duration gcTime) {

  /** The report's values of a run's totals, which are not read again. */
  static ReportValues of(RunTotals v) {
    return new ReportValues(
        v.error == null,
        v.interrupted,
        v.error,
        v.version,
        v.runId,
        Instant.ofEpochMilli(v.startEpochMillis),
        Instant.ofEpochMilli(v.endEpochMillis),
        sorted(v.options),
        v.schema,
        v.perWorker.stream().map(IngestReport.WorkerReport::new).toList(),
        v.source,
        v.sink,
        v.encoder,
        v.workers,
        sorted(v.encoderDetails),
        sorted(v.sinkCounters),
        v.rowsRead,
        v.rowsWritten,
        v.rowsRejected,
        v.rowsFiltered,
        v.rowsAborted,
        v.memoryBudgetBytes,
        v.manifestLocation,
        v.peakBufferedBytes,
        v.peakOpenFiles,
        v.memoryRolls,
        v.scaleEvents,
        v.sourceBacklogByPartition.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(v.sourceBacklogByPartition)),
        v.files.stream().map(IngestReport.FileReport::new).toList(),
        v.rejectsLocation,
        v.bytesIn,
        v.bytesOut,
        Duration.ofNanos(v.readNanos),
        Duration.ofNanos(v.encodeNanos),
        Duration.ofNanos(v.sinkNanos),
        Duration.ofNanos(v.wallNanos),
        v.peakHeapBytes,
        v.peakRssBytes,
        v.gcCount,
        Duration.ofMillis(v.gcMillis));
  }

  private static <V> Map<String, V> sorted(Map<String, V> m) {
    return Collections.unmodifiableMap(new TreeMap<>(m));
  }
}
