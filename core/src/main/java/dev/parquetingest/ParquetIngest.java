package dev.parquetingest;

import dev.parquetingest.common.BadInputException;
import dev.parquetingest.common.BadRecordException;
import dev.parquetingest.common.DataSize;
import dev.parquetingest.common.IngestException;
import dev.parquetingest.internal.Version;
import dev.parquetingest.runtime.PipelineConfig;
import dev.parquetingest.runtime.Run;
import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.Source;
import java.time.Duration;

/**
 * Reads records from a {@link Source}, transforms them, cuts them into files by size, rows or age,
 * encodes each file as ZSTD-compressed Parquet and commits it to a {@link Sink}.
 *
 * <pre>{@code
 * IngestReport report = ParquetIngest.builder()
 *     .source(CsvSource.builder(Path.of("reviews.csv")).build())
 *     .outputDirectory(Path.of("out"))
 *     .targetFileSize(DataSize.ofMegabytes(128))
 *     .onBadRecord(BadRecordPolicy.REJECT)
 *     .run();
 * }</pre>
 *
 * <p>Files are named {@code <prefix>-<sequence>.parquet} (five digits or more) with one worker and
 * {@code <prefix>-<worker>-<sequence>.parquet} with several, so names sort in the order written and
 * a rerun on the same input with the same settings produces the same names. Beside them go {@code
 * _<prefix>.manifest.jsonl}, {@code _<prefix>.report.json} and, if records were rejected, {@code
 * _<prefix>.rejects.jsonl}. An instance is immutable and thread-safe, but each {@link #run()}
 * consumes its source, so run it once.
 *
 * <p>Over an endless source (a queue) or rows pushed by the application, {@link #start()} runs the
 * pipeline on its own thread until stopped, and returns an {@link IngestHandle}:
 *
 * <pre>{@code
 * try (IngestHandle ingest = ParquetIngest.builder()
 *     .push(schema)
 *     .sink(s3Sink)
 *     .targetFileSize(DataSize.ofMegabytes(64))
 *     .maxFileAge(Duration.ofMinutes(5))
 *     .stopOnShutdown(Duration.ofSeconds(20))
 *     .start()) {
 *   ingest.offer(row);   // copies the row; blocks while the queue is full
 * }                      // close(): stop taking rows, commit, return
 * }</pre>
 *
 * <p>A started pipeline names its files {@code <prefix>-<run id>-<sequence>.parquet}, the run id
 * being its start time in UTC plus four random hex digits ({@code 20261122T002356123Z-3f9a}), so a
 * restart never collides with the files of an earlier run.
 */
public final class ParquetIngest {
  /**
   * This library's version, e.g. {@code 0.1.0}, written by the build; the one every {@link
   * IngestReport#version()} names. "development" when run from classes the build did not process.
   */
  public static final String VERSION = Version.VERSION;

  /** The encoder used unless one is chosen. */
  public static final String DEFAULT_ENCODER = "parquet-mr";

  /** Target size of each file unless set: what query engines read efficiently. */
  public static final DataSize DEFAULT_TARGET_FILE_SIZE = DataSize.ofMegabytes(128);

  /** How often a {@link ProgressListener} hears of a run at most. */
  public static final Duration PROGRESS_INTERVAL = Duration.ofMillis(250);

  /**
   * How often a started pipeline looks at the clock while no row arrives: the resolution of {@link
   * ParquetIngestBuilder#maxFileAge} and how long a stop may wait for the source's current poll.
   */
  public static final Duration TIMER_INTERVAL = Duration.ofMillis(100);

  /**
   * How long a started pipeline waits, without {@link ParquetIngestBuilder#maxFileAge}, before
   * acknowledging records that produced no row (all filtered or rejected) while no file is open.
   */
  public static final Duration DEFAULT_IDLE_ACKNOWLEDGE_AGE = Duration.ofMinutes(1);

  /**
   * How many files may be open at once unless set, across all workers and partitions: at most a few
   * MB of fixed buffers, and a thousand partitions written at once without closing any.
   */
  public static final int DEFAULT_MAX_OPEN_FILES = 1_000;

  /** Rows a push pipeline's queue holds unless set. */
  public static final int DEFAULT_PUSH_CAPACITY = 10_000;

  /** How long {@link IngestHandle#offer(dev.parquetingest.schema.Row)} waits unless set. */
  public static final Duration DEFAULT_OFFER_TIMEOUT = Duration.ofSeconds(30);

  /** What the runtime reads; immutable. */
  private final PipelineConfig config;

  private final Duration stopOnShutdown;
  private final Duration closeDeadline;
  private final Duration offerTimeout;
  private final int pushCapacity;
  private volatile Run current;
  private volatile boolean stopRequested;

  ParquetIngest(PipelineOptions o) {
    this.config = o.toConfig();
    this.stopOnShutdown = o.stopOnShutdown;
    this.closeDeadline = o.closeDeadline;
    this.offerTimeout = o.offerTimeout;
    this.pushCapacity = o.pushCapacity;
  }

  /** How often autoscaling reconsiders the number of workers by default. */
  public static final Duration DEFAULT_SCALE_INTERVAL = Duration.ofSeconds(10);

  /**
   * The default {@link ParquetIngestBuilder#memoryBudget memory budget}, in percent of the maximum
   * heap.
   */
  public static final int DEFAULT_MEMORY_BUDGET_PERCENT = 40;

  /** A builder of a pipeline; see {@link ParquetIngestBuilder}. */
  public static ParquetIngestBuilder builder() {
    return new ParquetIngestBuilder();
  }

  /**
   * Runs the pipeline to the end of the source.
   *
   * @return the report of a successful run; it is also written beside the output
   * @throws BadRecordException for a bad record under {@link BadRecordPolicy#FAIL}
   * @throws BadInputException if the input cannot be read as configured
   * @throws IngestException if a file cannot be encoded or committed; files committed before the
   *     failure stay, the one being written is aborted
   * @throws IllegalStateException for a push pipeline, which only {@link #start()} can run
   */
  public IngestReport run() {
    if (config.push() != null) {
      throw new IllegalStateException(
          "Cannot run a push pipeline to its end: start() it and offer rows to the handle");
    }
    Run run = new Run(config, null);
    current = run;
    if (stopRequested) {
      run.requestStop();
    }
    try {
      return IngestReport.finish(run.execute());
    } finally {
      current = null;
    }
  }

  /**
   * Asks a {@link #run()} in progress (or about to start) on another thread to stop reading, commit
   * its open files, and write its rejects, manifest and report (status {@code interrupted}); it
   * then throws {@link dev.parquetingest.common.RunInterruptedException} saying what was kept, and
   * a rerun with {@link ParquetIngestBuilder#resume resume} reads the rest. Returns at once; call
   * it from a shutdown hook or signal handler, then wait for {@code run()} to return. Thread-safe.
   */
  public void stop() {
    stopRequested = true;
    Run run = current;
    if (run != null) {
      run.requestStop();
    }
  }

  /**
   * Starts the pipeline on its own thread and returns at once; see {@link IngestHandle} for the
   * shutdown contract. Files and the report are named with a run id (see the class comment).
   * Failures surface from the handle's {@link IngestHandle#stop stop}, {@link IngestHandle#close
   * close} or {@link IngestHandle#await await}.
   */
  public IngestHandle start() {
    return IngestHandle.start(config, stopOnShutdown, closeDeadline, offerTimeout, pushCapacity);
  }
}
