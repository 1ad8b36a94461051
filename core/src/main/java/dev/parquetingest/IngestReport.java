package dev.parquetingest;

import dev.parquetingest.internal.Json;
import dev.parquetingest.runtime.CommittedFile;
import dev.parquetingest.runtime.RunOutcome;
import dev.parquetingest.runtime.RunTotals;
import dev.parquetingest.schema.Field;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.ColumnStats;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a run did: when, by which version, with which options and schema; rows, files, bytes, time
 * per stage (summed over workers, and per worker) and memory. Immutable and thread-safe. {@link
 * #toJson()} gives the form written beside the output as {@code _<prefix>.report.json}; every map
 * in it, and every map this class returns, is in key order.
 */
public final class IngestReport {
  private final boolean succeeded;
  private final boolean interrupted;
  private final String error;
  private final String version;
  private final String runId;
  private final Instant startTime;
  private final Instant endTime;
  private final Map<String, String> options;
  private final Schema schema;
  private final List<WorkerReport> perWorker;
  private final String source;
  private final String sink;
  private final String encoder;
  private final int workers;
  private final Map<String, String> encoderDetails;
  private final Map<String, Long> sinkCounters;
  private final long rowsRead;
  private final long rowsWritten;
  private final long rowsRejected;
  private final long rowsFiltered;
  private final long rowsAborted;
  private final long memoryBudgetBytes;
  private final String manifestLocation;
  private final long peakBufferedBytes;
  private final long peakOpenFiles;
  private final long memoryRolls;
  private final int scaleEvents;
  private final List<FileReport> files;
  private final String rejectsLocation;
  private final long bytesIn;
  private final long bytesOut;
  private final Duration readTime;
  private final Duration encodeTime;
  private final Duration sinkTime;
  private final Duration wallTime;
  private final long peakHeapBytes;
  private final long peakRssBytes;
  private final long gcCount;
  private final Duration gcTime;

  IngestReport(RunTotals v) {
    this.succeeded = v.error == null;
    this.interrupted = v.interrupted;
    this.error = v.error;
    this.version = v.version;
    this.runId = v.runId;
    this.startTime = Instant.ofEpochMilli(v.startEpochMillis);
    this.endTime = Instant.ofEpochMilli(v.endEpochMillis);
    this.options = sorted(v.options);
    this.schema = v.schema;
    this.perWorker = v.perWorker.stream().map(WorkerReport::new).toList();
    this.source = v.source;
    this.sink = v.sink;
    this.encoder = v.encoder;
    this.workers = v.workers;
    this.encoderDetails = sorted(v.encoderDetails);
    this.sinkCounters = sorted(v.sinkCounters);
    this.rowsRead = v.rowsRead;
    this.rowsWritten = v.rowsWritten;
    this.rowsRejected = v.rowsRejected;
    this.rowsFiltered = v.rowsFiltered;
    this.rowsAborted = v.rowsAborted;
    this.memoryBudgetBytes = v.memoryBudgetBytes;
    this.manifestLocation = v.manifestLocation;
    this.peakBufferedBytes = v.peakBufferedBytes;
    this.peakOpenFiles = v.peakOpenFiles;
    this.memoryRolls = v.memoryRolls;
    this.scaleEvents = v.scaleEvents;
    this.files = v.files.stream().map(FileReport::new).toList();
    this.rejectsLocation = v.rejectsLocation;
    this.bytesIn = v.bytesIn;
    this.bytesOut = v.bytesOut;
    this.readTime = Duration.ofNanos(v.readNanos);
    this.encodeTime = Duration.ofNanos(v.encodeNanos);
    this.sinkTime = Duration.ofNanos(v.sinkNanos);
    this.wallTime = Duration.ofNanos(v.wallNanos);
    this.peakHeapBytes = v.peakHeapBytes;
    this.peakRssBytes = v.peakRssBytes;
    this.gcCount = v.gcCount;
    this.gcTime = Duration.ofMillis(v.gcMillis);
  }

  private static <V> Map<String, V> sorted(Map<String, V> m) {
    return Collections.unmodifiableMap(new TreeMap<>(m));
  }

  /**
   * The report of a finished run: written beside its output (last of all), then the run's failure
   * thrown, if it failed.
   */
  static IngestReport finish(RunOutcome outcome) {
    IngestReport report = new IngestReport(outcome.totals());
    outcome.writeReport(report::writeJson);
    if (outcome.failure() != null) {
      throw outcome.failure();
    }
    return report;
  }

  /**
   * True if a batch run was stopped before the end of its input ({@link ParquetIngest#stop()}, a
   * {@link dev.parquetingest.common.RunInterruptedException}): {@code status} {@code interrupted}
   * in the JSON report.
   */
  public boolean interrupted() {
    return interrupted;
  }

  /** True unless the run ended with an error. */
  public boolean succeeded() {
    return succeeded;
  }

  /** The error that ended the run, or null. */
  public String error() {
    return error;
  }

  /** The version of parquet-ingest that ran, e.g. {@code 0.1.0}. */
  public String version() {
    return version;
  }

  /**
   * The run's id, e.g. {@code 20261122T002356123Z-3f9a}: in every data file's footer ({@code
   * parquet-ingest.run-id}) and, for a started pipeline, in every name.
   */
  public String runId() {
    return runId;
  }

  /** When the run started (wall clock, UTC). */
  public Instant startTime() {
    return startTime;
  }

  /** When the run ended, its report being made (wall clock, UTC). */
  public Instant endTime() {
    return endTime;
  }

  /**
   * The options the run used, by their {@link ParquetIngestBuilder} names, with every default
   * resolved (e.g. {@code targetFileSize=128MB}, {@code memoryBudget}, {@code workers}), in key
   * order. Backend facts decided at run time (which writer {@code auto} chose) are in {@link
   * #encoderDetails()}.
   */
  public Map<String, String> options() {
    return options;
  }

  /** The schema of the rows written, or null if the run failed before reading it. */
  public Schema schema() {
    return schema;
  }

  /**
   * Each worker's rows and stage times, by worker; {@link #readTime()}, {@link #encodeTime()} and
   * {@link #sinkTime()} are their sums.
   */
  public List<WorkerReport> perWorker() {
    return perWorker;
  }

  public String source() {
    return source;
  }

  public String sink() {
    return sink;
  }

  /** The encoder used, e.g. {@code parquet-mr}. */
  public String encoder() {
    return encoder;
  }

  /**
   * Times autoscaling added or retired a worker (see {@link ParquetIngestBuilder#workers(int,
   * int)}).
   */
  public int scaleEvents() {
    return scaleEvents;
  }

  /**
   * The most workers that ran at once: 1 unless the source was split or shared by several workers.
   */
  public int workers() {
    return workers;
  }

  /** Backend facts, e.g. the Arrow allocator in use; in key order. */
  public Map<String, String> encoderDetails() {
    return encoderDetails;
  }

  /** The sink's counters at the end of the run, e.g. S3 requests by kind; see Sink#counters(). */
  public Map<String, Long> sinkCounters() {
    return sinkCounters;
  }

  public long rowsRead() {
    return rowsRead;
  }

  /**
   * Rows in committed files. A file aborted because the run failed or a stop passed its deadline is
   * not counted: its rows are in {@link #rowsAborted()}.
   */
  public long rowsWritten() {
    return rowsWritten;
  }

  public long rowsRejected() {
    return rowsRejected;
  }

  /** Rows a transformer dropped on purpose. */
  public long rowsFiltered() {
    return rowsFiltered;
  }

  /**
   * Rows that were written to a file which was then discarded: the run failed while it was open, or
   * a stop passed its deadline ({@link IngestHandle#stop}); their records were not acknowledged, so
   * a source that can deliver again (a queue) will. Zero for a run that succeeded by itself.
   */
  public long rowsAborted() {
    return rowsAborted;
  }

  /**
   * Where the manifest of the committed files is (key, rows, bytes, positions, per-column
   * statistics; see docs/delivery.md), or null if no file was committed. In a streaming run, the
   * last of its manifest segments.
   */
  public String manifestLocation() {
    return manifestLocation;
  }

  /** The memory budget of the open files (see {@link ParquetIngestBuilder#memoryBudget}). */
  public long memoryBudgetBytes() {
    return memoryBudgetBytes;
  }

  /** The most bytes the open files buffered together, as measured (every 128 rows per file). */
  public long peakBufferedBytes() {
    return peakBufferedBytes;
  }

  /** The most files open at once, across workers and partitions. */
  public long peakOpenFiles() {
    return peakOpenFiles;
  }

  /** Files committed early because the open files exceeded the memory budget. */
  public long memoryRolls() {
    return memoryRolls;
  }

  /** The committed files, in the order they were written. */
  public List<FileReport> files() {
    return files;
  }

  /** Where rejected records went, or null if there were none. */
  public String rejectsLocation() {
    return rejectsLocation;
  }

  /** Bytes read from the source. */
  public long bytesIn() {
    return bytesIn;
  }

  /** Bytes of committed Parquet files. */
  public long bytesOut() {
    return bytesOut;
  }

  /** Time spent reading and decoding records (source and transformers), summed over workers. */
  public Duration readTime() {
    return readTime;
  }

  /** Time spent encoding and compressing, excluding writes to the sink; summed over workers. */
  public Duration encodeTime() {
    return encodeTime;
  }

  /** Time spent writing to and committing in the sink, summed over workers. */
  public Duration sinkTime() {
    return sinkTime;
  }

  public Duration wallTime() {
    return wallTime;
  }

  /**
   * The most heap in use (used bytes, not committed) at one moment during the run: the heap's total
   * just before each garbage collection and at the end, so never more than the maximum heap.
   */
  public long peakHeapBytes() {
    return peakHeapBytes;
  }

  /** The process's peak resident set size (VmHWM), or -1 where the platform does not say. */
  public long peakRssBytes() {
    return peakRssBytes;
  }

  /** Garbage collections during the run. */
  public long gcCount() {
    return gcCount;
  }

  public Duration gcTime() {
    return gcTime;
  }

  /** Rows written per second of wall time. */
  public double rowsPerSecond() {
    return wallTime.isZero() ? 0 : rowsWritten / (wallTime.toNanos() / 1e9);
  }

  public String toJson() {
    java.io.StringWriter w = new java.io.StringWriter();
    try {
      writeJson(w);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return w.toString();
  }

  /** {@link #toJson()} written to {@code out} a thousand files at a time. */
  void writeJson(java.io.Writer out) throws java.io.IOException {
    Json j = new Json(true).beginObject();
    j.field("status", succeeded ? "succeeded" : interrupted ? "interrupted" : "failed");
    j.field("error", error);
    j.field("version", version).field("runId", runId);
    j.field("startTime", startTime.toString()).field("endTime", endTime.toString());
    j.field("source", source).field("sink", sink).field("encoder", encoder);
    j.field("workers", workers).field("scaleEvents", scaleEvents);
    j.field("options", options);
    j.beginArray("schema");
    if (schema != null) {
      for (Field f : schema.fields()) {
        j.beginElement()
            .field("name", f.name())
            .field("type", f.type().toString())
            .field("nullable", f.nullable())
            .endObject();
      }
    }
    j.endArray();
    j.field("encoderDetails", encoderDetails);
    j.beginObject("sinkCounters");
    for (Map.Entry<String, Long> e : new java.util.TreeMap<>(sinkCounters).entrySet()) {
      j.field(e.getKey(), e.getValue().longValue());
    }
    j.endObject();
    j.field("rowsRead", rowsRead).field("rowsWritten", rowsWritten);
    j.field("rowsRejected", rowsRejected).field("rowsFiltered", rowsFiltered);
    j.field("rowsAborted", rowsAborted);
    j.field("memoryBudgetBytes", memoryBudgetBytes).field("peakBufferedBytes", peakBufferedBytes);
    j.field("peakOpenFiles", peakOpenFiles).field("memoryRolls", memoryRolls);
    j.field("rejects", rejectsLocation);
    j.field("manifest", manifestLocation);
    j.field("bytesIn", bytesIn).field("bytesOut", bytesOut);
    j.beginObject("stageMillisSummedOverWorkers");
    j.field("read", readTime.toMillis());
    j.field("encode", encodeTime.toMillis());
    j.field("sink", sinkTime.toMillis());
    j.endObject();
    j.beginArray("stageMillisPerWorker");
    for (WorkerReport w : perWorker) {
      j.beginElement()
          .field("worker", w.worker())
          .field("rowsWritten", w.rowsWritten())
          .field("read", w.readTime().toMillis())
          .field("encode", w.encodeTime().toMillis())
          .field("sink", w.sinkTime().toMillis())
          .endObject();
    }
    j.endArray();
    j.field("wallMillis", wallTime.toMillis());
    j.field("rowsPerSecond", Math.round(rowsPerSecond()));
    j.field("peakHeapBytes", peakHeapBytes).field("peakRssBytes", peakRssBytes);
    j.field("gcCount", gcCount).field("gcMillis", gcTime.toMillis());
    j.beginArray("files");
    int n = 0;
    for (FileReport f : files) {
      if (++n % 1000 == 0) {
        j.drainTo(out);
      }
      j.beginElement()
          .field("location", f.location())
          .field("rows", f.rows())
          .field("bytes", f.bytes())
          .field("firstPosition", f.firstPosition())
          .field("lastPosition", f.lastPosition())
          .endObject();
    }
    j.endArray();
    j.endObject();
    j.drainTo(out);
    out.write('\n');
  }

  @Override
  public String toString() {
    return toJson();
  }

  /** One worker's rows and stage times. Immutable. */
  public static final class WorkerReport {
    private final int worker;
    private final long rowsWritten;
    private final Duration readTime;
    private final Duration encodeTime;
    private final Duration sinkTime;

    WorkerReport(RunTotals.Worker w) {
      this.worker = w.worker();
      this.rowsWritten = w.rowsWritten();
      this.readTime = Duration.ofNanos(w.readNanos());
      this.encodeTime = Duration.ofNanos(w.encodeNanos());
      this.sinkTime = Duration.ofNanos(w.sinkNanos());
    }

    /** The worker's number: its part of a split file, or the order in which it started. */
    public int worker() {
      return worker;
    }

    /** Rows in this worker's committed files. */
    public long rowsWritten() {
      return rowsWritten;
    }

    public Duration readTime() {
      return readTime;
    }

    public Duration encodeTime() {
      return encodeTime;
    }

    public Duration sinkTime() {
      return sinkTime;
    }

    @Override
    public String toString() {
      return "worker "
          + worker
          + ": "
          + rowsWritten
          + " rows, read "
          + readTime
          + ", encode "
          + encodeTime
          + ", sink "
          + sinkTime;
    }
  }

  /** One committed file. Immutable. */
  public static final class FileReport {
    private final String location;
    private final long rows;
    private final long bytes;
    private final String firstPosition;
    private final String lastPosition;
    private final String partition;
    private final List<ColumnStats> columns;

    FileReport(CommittedFile f) {
      this(
          f.location(),
          f.rows(),
          f.bytes(),
          f.firstPosition(),
          f.lastPosition(),
          f.partition(),
          f.columns());
    }

    FileReport(
        String location,
        long rows,
        long bytes,
        String firstPosition,
        String lastPosition,
        String partition,
        List<ColumnStats> columns) {
      this.location = Objects.requireNonNull(location);
      this.rows = rows;
      this.bytes = bytes;
      this.firstPosition = firstPosition;
      this.lastPosition = lastPosition;
      this.partition = Objects.requireNonNull(partition);
      this.columns = List.copyOf(columns);
    }

    /** The Hive partition path of the file, e.g. {@code country=DE}, or "" if not partitioned. */
    public String partition() {
      return partition;
    }

    /**
     * Per-column statistics of the file (null count, min, max), in schema order. Empty in the
     * report of a run: the run writes them to its manifest ({@link
     * IngestReport#manifestLocation()}) as each file is committed instead of holding them for every
     * file, since a run over many partitions commits hundreds of thousands of files.
     */
    public List<ColumnStats> columns() {
      return columns;
    }

    public String location() {
      return location;
    }

    public long rows() {
      return rows;
    }

    public long bytes() {
      return bytes;
    }

    /** Where the file's first record came from, e.g. {@code line 2}. */
    public String firstPosition() {
      return firstPosition;
    }

    /** Where the file's last record came from. */
    public String lastPosition() {
      return lastPosition;
    }

    @Override
    public String toString() {
      return location + " (" + rows + " rows, " + bytes + " bytes)";
    }
  }
}
