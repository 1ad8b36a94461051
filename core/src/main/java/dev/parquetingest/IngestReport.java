package dev.parquetingest;

import dev.parquetingest.runtime.CommittedFile;
import dev.parquetingest.runtime.RunOutcome;
import dev.parquetingest.runtime.RunTotals;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.ColumnStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a run did: when, by which version, with which options and schema; rows, files, bytes, time
 * per stage (summed over workers, and per worker) and memory. Immutable and thread-safe. {@link
 * #toJson()} gives the form written beside the output as {@code _<prefix>.report.json}; every map
 * in it, and every map this class returns, is in key order.
 */
public final class IngestReport {
  private final ReportValues v;

  IngestReport(RunTotals totals) {
    this.v = ReportValues.of(totals);
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
    return v.interrupted();
  }

  /** True unless the run ended with an error. */
  public boolean succeeded() {
    return v.succeeded();
  }

  /** The error that ended the run, or null. */
  public String error() {
    return v.error();
  }

  /** The version of parquet-ingest that ran, e.g. {@code 0.1.0}. */
  public String version() {
    return v.version();
  }

  /**
   * The run's id, e.g. {@code 20261122T002356123Z-3f9a}: in every data file's footer ({@code
   * parquet-ingest.run-id}) and, for a started pipeline, in every name.
   */
  public String runId() {
    return v.runId();
  }

  /** When the run started (wall clock, UTC). */
  public Instant startTime() {
    return v.startTime();
  }

  /** When the run ended, its report being made (wall clock, UTC). */
  public Instant endTime() {
    return v.endTime();
  }

  /**
   * The options the run used, by their {@link ParquetIngestBuilder} names, with every default
   * resolved (e.g. {@code targetFileSize=128MB}, {@code memoryBudget}, {@code workers}), in key
   * order. Backend facts decided at run time (which writer {@code auto} chose) are in {@link
   * #encoderDetails()}.
   */
  public Map<String, String> options() {
    return v.options();
  }

  /** The schema of the rows written, or null if the run failed before reading it. */
  public Schema schema() {
    return v.schema();
  }

  /**
   * Each worker's rows and stage times, by worker; {@link #readTime()}, {@link #encodeTime()} and
   * {@link #sinkTime()} are their sums.
   */
  public List<WorkerReport> perWorker() {
    return v.perWorker();
  }

  public String source() {
    return v.source();
  }

  public String sink() {
    return v.sink();
  }

  /** The encoder used, e.g. {@code parquet-mr}. */
  public String encoder() {
    return v.encoder();
  }

  /**
   * Times autoscaling added or retired a worker (see {@link ParquetIngestBuilder#workers(int,
   * int)}).
   */
  public int scaleEvents() {
    return v.scaleEvents();
  }

  /**
   * The source's backlog per partition when the run stopped reading, as last published (see {@link
   * IngestMetrics#sourceBacklogByPartition()}): a Kafka topic-partition's lag, {@code events/3 ->
   * 0} once caught up, what was left unread after a stop. In the source's order; empty for a source
   * without partitions.
   */
  public Map<String, Long> sourceBacklogByPartition() {
    return v.sourceBacklogByPartition();
  }

  /**
   * The most workers that ran at once: 1 unless the source was split or shared by several workers.
   */
  public int workers() {
    return v.workers();
  }

  /** Backend facts, e.g. the Arrow allocator in use; in key order. */
  public Map<String, String> encoderDetails() {
    return v.encoderDetails();
  }

  /** The sink's counters at the end of the run, e.g. S3 requests by kind; see Sink#counters(). */
  public Map<String, Long> sinkCounters() {
    return v.sinkCounters();
  }

  public long rowsRead() {
    return v.rowsRead();
  }

  /**
   * Rows in committed files. A file aborted because the run failed or a stop passed its deadline is
   * not counted: its rows are in {@link #rowsAborted()}.
   */
  public long rowsWritten() {
    return v.rowsWritten();
  }

  public long rowsRejected() {
    return v.rowsRejected();
  }

  /** Rows a transformer dropped on purpose. */
  public long rowsFiltered() {
    return v.rowsFiltered();
  }

  /**
   * Rows that were written to a file which was then discarded: the run failed while it was open, or
   * a stop passed its deadline ({@link IngestHandle#stop}); their records were not acknowledged, so
   * a source that can deliver again (a queue) will. Zero for a run that succeeded by itself.
   */
  public long rowsAborted() {
    return v.rowsAborted();
  }

  /**
   * Where the manifest of the committed files is (key, rows, bytes, positions, per-column
   * statistics; see docs/delivery.md), or null if no file was committed. In a streaming run, the
   * last of its manifest segments.
   */
  public String manifestLocation() {
    return v.manifestLocation();
  }

  /** The memory budget of the open files (see {@link ParquetIngestBuilder#memoryBudget}). */
  public long memoryBudgetBytes() {
    return v.memoryBudgetBytes();
  }

  /** The most bytes the open files buffered together, as measured (every 128 rows per file). */
  public long peakBufferedBytes() {
    return v.peakBufferedBytes();
  }

  /** The most files open at once, across workers and partitions. */
  public long peakOpenFiles() {
    return v.peakOpenFiles();
  }

  /** Files committed early because the open files exceeded the memory budget. */
  public long memoryRolls() {
    return v.memoryRolls();
  }

  /** The committed files, in the order they were written. */
  public List<FileReport> files() {
    return v.files();
  }

  /** Where rejected records went, or null if there were none. */
  public String rejectsLocation() {
    return v.rejectsLocation();
  }

  /** Bytes read from the source. */
  public long bytesIn() {
    return v.bytesIn();
  }

  /** Bytes of committed Parquet files. */
  public long bytesOut() {
    return v.bytesOut();
  }

  /** Time spent reading and decoding records (source and transformers), summed over workers. */
  public Duration readTime() {
    return v.readTime();
  }

  /** Time spent encoding and compressing, excluding writes to the sink; summed over workers. */
  public Duration encodeTime() {
    return v.encodeTime();
  }

  /** Time spent writing to and committing in the sink, summed over workers. */
  public Duration sinkTime() {
    return v.sinkTime();
  }

  public Duration wallTime() {
    return v.wallTime();
  }

  /**
   * The most heap in use (used bytes, not committed) at one moment during the run: the heap's total
   * just before each garbage collection and at the end, so never more than the maximum heap.
   */
  public long peakHeapBytes() {
    return v.peakHeapBytes();
  }

  /** The process's peak resident set size (VmHWM), or -1 where the platform does not say. */
  public long peakRssBytes() {
    return v.peakRssBytes();
  }

  /** Garbage collections during the run. */
  public long gcCount() {
    return v.gcCount();
  }

  public Duration gcTime() {
    return v.gcTime();
  }

  /** Rows written per second of wall time. */
  public double rowsPerSecond() {
    return v.wallTime().isZero() ? 0 : v.rowsWritten() / (v.wallTime().toNanos() / 1e9);
  }

  /** The report as JSON, the form written beside the output; see docs/delivery.md. */
  public String toJson() {
    return ReportFormat.toJson(this);
  }

  /** {@link #toJson()} written to {@code out} a thousand files at a time. */
  void writeJson(java.io.Writer out) throws java.io.IOException {
    ReportFormat.writeJson(this, out);
  }

  @Override
  public String toString() {
    return toJson();
  }

  /** One worker's rows and stage times. Immutable. */
  public static final class WorkerReport {
    private final RunTotals.Worker w;

    WorkerReport(RunTotals.Worker w) {
      this.w = w;
    }

    /** The worker's number: its part of a split file, or the order in which it started. */
    public int worker() {
      return w.worker();
    }

    /** Rows in this worker's committed files. */
    public long rowsWritten() {
      return w.rowsWritten();
    }

    public Duration readTime() {
      return Duration.ofNanos(w.readNanos());
    }

    public Duration encodeTime() {
      return Duration.ofNanos(w.encodeNanos());
    }

    public Duration sinkTime() {
      return Duration.ofNanos(w.sinkNanos());
    }

    @Override
    public String toString() {
      return ReportFormat.describe(this);
    }
  }

  /** One committed file. Immutable. */
  public static final class FileReport {
    private final CommittedFile f;

    FileReport(CommittedFile f) {
      this.f = f;
    }

    /** The Hive partition path of the file, e.g. {@code country=DE}, or "" if not partitioned. */
    public String partition() {
      return f.partition();
    }

    /**
     * Per-column statistics of the file (null count, min, max), in schema order. Empty in the
     * report of a run: the run writes them to its manifest ({@link
     * IngestReport#manifestLocation()}) as each file is committed instead of holding them for every
     * file, since a run over many partitions commits hundreds of thousands of files.
     */
    public List<ColumnStats> columns() {
      return f.columns();
    }

    public String location() {
      return f.location();
    }

    public long rows() {
      return f.rows();
    }

    public long bytes() {
      return f.bytes();
    }

    /** Where the file's first record came from, e.g. {@code line 2}. */
    public String firstPosition() {
      return f.firstPosition();
    }

    /** Where the file's last record came from. */
    public String lastPosition() {
      return f.lastPosition();
    }

    @Override
    public String toString() {
      return f.location() + " (" + f.rows() + " rows, " + f.bytes() + " bytes)";
    }
  }
}
