package dev.parquetingest.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a run did, put together by {@link ReportBuilder} for {@link dev.parquetingest.IngestReport}
 * (which copies it): a plain holder, filled once by the run's thread.
 */
public final class RunTotals {
  /** One worker's share of the stage times and rows; see {@code IngestReport.WorkerReport}. */
  public record Worker(
      int worker, long rowsWritten, long readNanos, long encodeNanos, long sinkNanos) {}

  public String error;
  public String version;
  public String runId;
  public long startEpochMillis;
  public long endEpochMillis;

  /** The options the run used, defaults resolved, by name in key order. */
  public Map<String, String> options = Map.of();

  /** The schema of the written rows, or null if the run failed before knowing it. */
  public dev.parquetingest.schema.Schema schema;

  public final List<Worker> perWorker = new ArrayList<>();

  /** Whether a batch run was stopped before the end of its input (status {@code interrupted}). */
  public boolean interrupted;

  public String source;
  public String sink;
  public String encoder;
  public int workers = 1;
  public Map<String, String> encoderDetails = Map.of();
  public Map<String, Long> sinkCounters = Map.of();
  public long rowsRead;
  public long rowsWritten;
  public long rowsRejected;
  public long rowsFiltered;
  public long rowsAborted;
  public long memoryBudgetBytes;
  public String manifestLocation;
  public long peakBufferedBytes;
  public long peakOpenFiles;
  public long memoryRolls;
  public int scaleEvents;

  /** The source's backlog per partition as last published while the run read (see Counters). */
  public Map<String, Long> sourceBacklogByPartition = Map.of();

  public final List<CommittedFile> files = new ArrayList<>();
  public String rejectsLocation;
  public long bytesIn;
  public long bytesOut;
  public long readNanos;
  public long encodeNanos;
  public long sinkNanos;
  public long wallNanos;
  public long peakHeapBytes;
  public long peakRssBytes = -1;
  public long gcCount;
  public long gcMillis;
}
