package dev.parquetingest;

import dev.parquetingest.internal.JvmMetrics;
import dev.parquetingest.internal.Json;
import dev.parquetingest.internal.MeteredOutputStream;
import dev.parquetingest.internal.SinkFiles;
import dev.parquetingest.partition.Partitioning;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.ColumnStats;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.FileStats;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.SharedSource;
import dev.parquetingest.spi.Source;
import dev.parquetingest.spi.SplittableSource;
import dev.parquetingest.spi.StagedOutput;
import dev.parquetingest.spi.Transformer;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a {@link ParquetIngest}. The source (or, with several workers and a {@link
 * SplittableSource}, each of its parts) is read by a {@link Lane}: the loop source → transformers
 * → encoder → sink, with the bad-record policy and rolling, writing its own files. With one lane
 * the loop runs on the caller's thread; with several, each lane has a thread and the caller's
 * thread reports progress until all are done. Used once.
 *
 * <p>A <em>streaming</em> run (started by {@link ParquetIngest#start()}) differs in four ways:
 * file, rejects and report names carry a run id, so that a restart never collides with the files
 * of an earlier run; rejected records are committed to their own rejects file before the positions
 * that cover them are acknowledged; records that produced no row (filtered or rejected) are
 * acknowledged after {@code maxFileAge} even when no file is open; and it can be stopped from
 * another thread ({@link #requestStop()}, {@link #requestAbort()}). Stopping ends the loop before
 * the next record, commits the open file and acknowledges it; aborting discards the open file
 * without acknowledging anything in it.
 */
final class IngestRun {
  private static final Logger LOG = LoggerFactory.getLogger(IngestRun.class);
  private static final int PUBLISH_ROWS = 4096;
  /** A memory roll of a file this small means the budget cannot hold the open files. */
  private static final long SMALL_FILE_ROWS = 1_000;
  /** Rows between measurements of a file's buffered bytes, and between memory checks (2^n). */
  private static final int MEMORY_CHECK_ROWS = 128;
  /** How many records a busy lane reads between looks at the clock for its timer. */
  private static final int TIMER_CHECK_RECORDS = 64;

  private final ParquetIngest config;
  private final JvmMetrics jvm = new JvmMetrics();
  private final Map<String, String> encoderDetails = new LinkedHashMap<>();
  private final long progressIntervalNanos = ParquetIngest.PROGRESS_INTERVAL.toNanos();
  /** The first lane's transformers, made while the schema is worked out. */
  private Transformer[] firstTransformers;
  private final boolean streaming;
  private final String runId;
  private final long timerIntervalNanos;
  private final long idleAckNanos;
  private final long memoryBudget;
  private final LongAccumulator peakBuffered = new LongAccumulator(Math::max, 0);
  private final LongAccumulator peakOpen = new LongAccumulator(Math::max, 0);
  private volatile boolean warnedSmallFiles;
  private volatile boolean warnedOpenFiles;
  private final LongAccumulator peakWorkers = new LongAccumulator(Math::max, 0);

  private long startNanos;
  private Schema sourceSchema;
  private Schema schema;
  private List<Lane> lanes = List.of();
  /** Lanes whose thread has ended, for {@link #runInParallel()}. */
  private final LinkedBlockingQueue<Lane> ended = new LinkedBlockingQueue<>();
  private SharedSource shared;
  private int laneCounter;
  private int scaleEvents;
  private volatile boolean stopping;
  /** Stop taking input: end the loop, commit and acknowledge what is open. */
  private volatile boolean stopRequested;
  /** Past the stop deadline: discard what is open and acknowledge nothing more. */
  private volatile boolean abortRequested;
  private final Manifest manifest;
  private long manifestSequence;
  private long rejectsSequence;
  private StagedOutput rejects;
  private Writer rejectsWriter;
  private String rejectsLocation;

  IngestRun(ParquetIngest config) {
    this(config, null);
  }

  /**
   * @param runId null for a batch run; for a streaming run, the id that goes into every name
   */
  IngestRun(ParquetIngest config, String runId) {
    this.config = config;
    this.streaming = runId != null;
    this.runId = runId;
    this.timerIntervalNanos = ParquetIngest.TIMER_INTERVAL.toNanos();
    this.idleAckNanos =
        config.maxFileAge != null
            ? config.maxFileAge.toNanos()
            : ParquetIngest.DEFAULT_IDLE_ACKNOWLEDGE_AGE.toNanos();
    this.memoryBudget = config.memoryBudget.toBytes();
    this.manifest = new Manifest(config.sink);
  }

  /** Asks every lane to stop taking input and to commit what it holds; returns at once. */
  void requestStop() {
    if (config.source instanceof PushSource) {
      // rows accepted by offer() are still drained: the lane ends when the queue is empty
      ((PushSource) config.source).closeForOffers();
    } else {
      stopRequested = true;
    }
  }

  /** Asks every lane to discard its open file without acknowledging it; returns at once. */
  void requestAbort() {
    abortRequested = true;
    stopRequested = true;
    if (config.source instanceof PushSource) {
      ((PushSource) config.source).closeForOffers();
    }
  }

  IngestReport run() {
    startNanos = System.nanoTime();
    jvm.start();
    config.metrics.sinkCounters(config.sink::counters);
    RuntimeException failure = null;
    try {
      config.encoder.checkUsable(config.encoderOptions);
      sourceSchema = config.source.open();
      schema = sourceSchema;
      firstTransformers = newTransformers();
      for (Transformer t : firstTransformers) {
        schema = t.outputSchema(schema);
      }
      List<Lane> created = new ArrayList<>();
      if (config.source instanceof SharedSource) {
        shared = (SharedSource) config.source;
        for (int i = 0; i < config.minWorkers; i++) {
          created.add(new Lane(laneCounter++, 0, shared.newReader(), true));
        }
      } else {
        List<Source> parts =
            config.workers > 1 && config.source instanceof SplittableSource
                ? ((SplittableSource) config.source).split(config.workers)
                : List.of(config.source);
        for (int i = 0; i < parts.size(); i++) {
          created.add(new Lane(i, parts.size(), parts.get(i), parts.get(i) != config.source));
        }
        laneCounter = parts.size();
      }
      lanes = new CopyOnWriteArrayList<>(created);
      checkNothingToOverwrite();
      if (lanes.size() == 1 && !lanes.get(0).mustOpen) {
        lanes.get(0).run(true);
      } else {
        runInParallel();
      }
      progress(true);
    } catch (RuntimeException e) {
      failure = e;
    } catch (Error e) {
      abortAll(e);
      throw e;
    }
    if (failure != null) {
      abortAll(failure);
    }
    closeSources(failure);
    finishRejects(failure);
    try {
      finishManifest(failure);
    } catch (RuntimeException e) {
      failure = e;
    }
    IngestReport result = finishReport(failure);
    if (failure != null) {
      throw failure;
    }
    return result;
  }

  /** One worker's own transformers, in order. */
  private Transformer[] newTransformers() {
    Transformer[] ts = new Transformer[config.transformers.size()];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = config.transformers.get(i).get();
    }
    return ts;
  }

  private void startLane(Lane lane) {
    Thread t =
        new Thread(
            () -> {
              try {
                lane.run(false);
              } catch (RuntimeException | Error e) {
                lane.failure =
                    e instanceof RuntimeException
                        ? (RuntimeException) e
                        : new IngestException(e.toString(), e);
                stopping = true;
              } finally {
                ended.add(lane);
              }
            },
            "parquet-ingest-" + lane.index);
    t.setDaemon(true);
    t.start();
  }

  /**
   * Runs every lane on its own thread; this thread reports progress and gauges and, for a shared
   * source with a range of workers, scales them, until every lane has ended.
   */
  private void runInParallel() {
    for (Lane lane : lanes) {
      startLane(lane);
    }
    Scaler scaler =
        shared != null && config.workers > config.minWorkers ? new Scaler() : null;
    int alive = lanes.size();
    try {
      while (alive > 0) {
        if (ended.poll(progressIntervalNanos, TimeUnit.NANOSECONDS) != null) {
          alive--;
          continue;
        }
        progress(false);
        publishGauges();
        if (scaler != null && !stopping && !stopRequested) {
          alive += scaler.tick();
        }
      }
    } catch (InterruptedException e) {
      stopping = true;
      Thread.currentThread().interrupt();
      throw new IngestException("Cannot finish the run: interrupted", e);
    }
    // the cause is the first failure that is not a lane stopping because of another one
    RuntimeException first = null;
    for (Lane lane : lanes) {
      RuntimeException f = lane.failure;
      if (f != null && !(f instanceof StoppedException)) {
        if (first == null) {
          first = f;
        } else {
          first.addSuppressed(f);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /**
   * The autoscaling policy of {@link ParquetIngest.Builder#workers(int, int)}, evaluated by the
   * run's own thread: one step per interval, then one interval of rest.
   */
  private final class Scaler {
    static final long BACKLOG_PER_WORKER = 1_000;
    private final long intervalNanos = config.scaleInterval.toNanos();
    private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    private long lastNanos = System.nanoTime();
    private long lastBacklog = -1;
    private boolean resting;
    /** Lanes this scaler started, newest first: the first to retire. */
    private final ArrayDeque<Lane> added = new ArrayDeque<>();

    Scaler() {
      for (Lane lane : lanes) {
        lane.idleAtScale = lane.publishedIdleNanos;
      }
    }

    /** Returns how many lanes it started (0 or 1). */
    int tick() {
      long now = System.nanoTime();
      long elapsed = now - lastNanos;
      if (elapsed < intervalNanos) {
        return 0;
      }
      lastNanos = now;
      List<Lane> active = new ArrayList<>();
      long idle = 0;
      for (Lane lane : lanes) {
        long i = lane.publishedIdleNanos;
        if (!lane.done && !lane.retire) {
          active.add(lane);
          idle += Math.min(elapsed, i - lane.idleAtScale);
        }
        lane.idleAtScale = i;
      }
      long backlog = config.source.backlog();
      long previous = lastBacklog;
      lastBacklog = backlog;
      if (resting || active.isEmpty()) {
        resting = false;
        return 0;
      }
      int n = active.size();
      double idleShare = idle / ((double) elapsed * n);
      double cpu = processCpu();
      double memory = config.metrics.bufferedBytesNow() / (double) memoryBudget;
      boolean backlogHigh = backlog < 0 || backlog > BACKLOG_PER_WORKER * n;
      boolean backlogGrowing = backlog >= 0 && previous >= 0 && backlog > previous;
      String why =
          String.format(
              Locale.ROOT,
              "idle %.0f %%, backlog %d (was %d), CPU %.0f %%, memory %.0f %% of budget",
              idleShare * 100,
              backlog,
              previous,
              cpu * 100,
              memory * 100);
      if (n < config.workers
          && idleShare < 0.2
          && (backlogHigh || backlogGrowing)
          && cpu < 0.85
          && memory < 0.75) {
        Lane lane = new Lane(laneCounter++, 0, shared.newReader(), true);
        lane.idleAtScale = 0;
        lanes.add(lane);
        added.push(lane);
        LOG.info("Scaling workers {} -> {}: {}", n, n + 1, why);
        scaleEvents++;
        resting = true;
        startLane(lane);
        return 1;
      }
      if (n > config.minWorkers && idleShare > 0.7 && (backlog < 0 || !backlogHigh)) {
        Lane lane = added.isEmpty() ? active.get(active.size() - 1) : added.pop();
        lane.retire = true;
        LOG.info("Scaling workers {} -> {}: {}", n, n - 1, why);
        scaleEvents++;
        resting = true;
      }
      return 0;
    }

    /** The process's share of all CPUs over the last moments, or 0 if the JVM cannot tell. */
    private double processCpu() {
      if (os instanceof com.sun.management.OperatingSystemMXBean) {
        double load = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuLoad();
        return load < 0 ? 0 : load;
      }
      return 0;
    }
  }

  private void checkNothingToOverwrite() {
    List<String> names = new ArrayList<>();
    for (Lane lane : lanes) {
      if (lane.router == null) {
        names.add(lane.fileName("", 0));
      }
    }
    names.add(rejectsName());
    if (!streaming) {
      names.add(manifestName());
    }
    if (config.writeReport) {
      names.add(reportName());
    }
    for (String name : names) {
      refuseIfExists(name);
    }
  }

  /** Fails before anything is written under a name that is taken: the sink never overwrites. */
  private void refuseIfExists(String name) {
    if (config.sink.exists(name)) {
      throw new IngestException(
          "Cannot write to "
              + config.sink.describe()
              + ": "
              + name
              + " already exists; use an empty output location or another file prefix");
    }
  }

  private String rejectsName() {
    return streaming
        ? String.format(
            Locale.ROOT, "_%s-%s.rejects-%05d.jsonl", config.filePrefix, runId, rejectsSequence)
        : "_" + config.filePrefix + ".rejects.jsonl";
  }

  /** The batch run's manifest, or in a streaming run the next segment's name. */
  private String manifestName() {
    return streaming
        ? String.format(
            Locale.ROOT, "_%s-%s.manifest-%05d.jsonl", config.filePrefix, runId, manifestSequence)
        : "_" + config.filePrefix + ".manifest.jsonl";
  }

  /**
   * In a streaming run, before acknowledging: writes the files committed since the last segment
   * to a new manifest segment, so that every acknowledged record's file is in a manifest.
   */
  private synchronized void writeManifestSegment() {
    if (manifest.hasPending()) {
      manifest.write(manifestName());
      manifestSequence++;
    }
  }

  /** At the end of a run, also a failed one: the manifest of what was committed. */
  private void finishManifest(RuntimeException failure) {
    try {
      if (streaming) {
        writeManifestSegment();
      } else {
        manifest.write(manifestName());
      }
    } catch (RuntimeException e) {
      if (failure != null) {
        failure.addSuppressed(e);
      } else {
        throw e;
      }
    }
  }

  private String reportName() {
    return streaming
        ? "_" + config.filePrefix + "-" + runId + ".report.json"
        : "_" + config.filePrefix + ".report.json";
  }

  /**
   * In a streaming run, commits the rejects written so far, so that the positions of those
   * records may be acknowledged; the next rejected record starts a new rejects file.
   */
  private synchronized void commitRejects() {
    if (rejects == null) {
      return;
    }
    StagedOutput out = rejects;
    rejects = null;
    rejectsSequence++;
    try {
      rejectsWriter.flush();
      out.commit();
      rejectsLocation = out.location();
    } catch (IOException | RuntimeException e) {
      out.abort();
      throw new IngestException("Cannot commit " + out.location() + ": " + e, e);
    } finally {
      rejectsWriter = null;
    }
  }

  private synchronized void reject(BadRecordException e) {
    try {
      if (rejectsWriter == null) {
        rejects = config.sink.create(rejectsName());
        rejectsWriter = new OutputStreamWriter(rejects.stream(), StandardCharsets.UTF_8);
      }
      Json j = new Json(false).beginObject();
      j.field("source", e.source());
      if (e.line() > 0) {
        j.field("line", e.line());
      }
      j.field("column", e.column());
      j.field("reason", e.problem());
      j.field("record", e.rawRecord());
      rejectsWriter.write(j.endObject().toString());
      rejectsWriter.write('\n');
    } catch (IOException ex) {
      throw new UncheckedIOException("Cannot write rejected record to " + rejectsName(), ex);
    }
  }

  private synchronized void addDetails(Map<String, String> details) {
    encoderDetails.putAll(details);
  }

  /**
   * Rejects are kept even when a batch run fails: they were taken from the input. In a streaming
   * run every checkpoint commits them; what is left belongs to positions never acknowledged, which
   * the source delivers again, so it is discarded.
   */
  private void finishRejects(RuntimeException failure) {
    if (rejects == null) {
      return;
    }
    if (streaming) {
      rejects.abort();
      rejects = null;
      return;
    }
    try {
      rejectsWriter.flush();
      rejects.commit();
      rejectsLocation = rejects.location();
    } catch (IOException | RuntimeException e) {
      rejects.abort();
      if (failure != null) {
        failure.addSuppressed(e);
      } else {
        throw new IngestException("Cannot commit " + rejects.location() + ": " + e, e);
      }
    }
  }

  private void progress(boolean done) {
    if (config.progressListener == null) {
      return;
    }
    long bytes = 0;
    long total = 0;
    long rowsRead = 0;
    long rowsWritten = 0;
    long files = 0;
    for (Lane lane : lanes) {
      bytes += lane.publishedBytes;
      long hint = lane.source.sizeHint();
      total = hint < 0 || total < 0 ? -1 : total + hint;
      rowsRead += lane.publishedRowsRead;
      rowsWritten += lane.publishedRowsWritten;
      files += lane.publishedFiles;
    }
    config.progressListener.onProgress(
        new ProgressListener.Progress(
            bytes,
            lanes.isEmpty() ? -1 : total,
            rowsRead,
            rowsWritten,
            files,
            Duration.ofNanos(System.nanoTime() - startNanos),
            done));
  }

  /** Run-wide gauges from what the lanes published: the source backlog, the delivery lag. */
  private void publishGauges() {
    long backlog = shared != null ? shared.backlog() : 0;
    long oldest = -1;
    for (Lane lane : lanes) {
      long b = shared != null ? 0 : lane.publishedBacklog;
      backlog = b < 0 || backlog < 0 ? -1 : backlog + b;
      long u = lane.publishedUnackedSince;
      if (u >= 0 && (oldest < 0 || u < oldest)) {
        oldest = u;
      }
    }
    config.metrics.sourceBacklog(backlog);
    config.metrics.oldestUnacknowledged(oldest);
  }

  private void abortAll(Throwable failure) {
    for (Lane lane : lanes) {
      lane.abort(failure);
    }
  }

  private void closeSources(RuntimeException failure) {
    List<Source> toClose = new ArrayList<>();
    for (Lane lane : lanes) {
      if (lane.source != config.source) {
        toClose.add(lane.source);
      }
    }
    toClose.add(config.source);
    for (Source s : toClose) {
      try {
        s.close();
      } catch (RuntimeException e) {
        if (failure != null) {
          failure.addSuppressed(e);
        } else {
          throw e;
        }
      }
    }
  }

  private IngestReport finishReport(RuntimeException failure) {
    IngestReport.Values report = new IngestReport.Values();
    report.source = config.source.name();
    report.sink = config.sink.describe();
    report.encoder = config.encoderName;
    report.workers = (int) Math.max(1, peakWorkers.get());
    report.scaleEvents = scaleEvents;
    for (Lane lane : lanes) {
      report.rowsRead += lane.rowsRead;
      report.rowsWritten += lane.rowsWritten;
      report.rowsRejected += lane.rowsRejected;
      report.rowsFiltered += lane.rowsFiltered;
      report.rowsAborted += lane.rowsAborted;
      report.memoryRolls += lane.memoryRolls;
      report.readNanos += lane.readNanos;
      report.encodeNanos += lane.encodeNanos;
      report.sinkNanos += lane.sinkNanos;
      report.bytesOut += lane.bytesOut;
      report.bytesIn += lane.source.bytesRead();
      report.files.addAll(lane.files);
    }
    if (lanes.isEmpty()) {
      report.bytesIn = config.source.bytesRead();
    }
    if (config.source instanceof PushSource) {
      report.rowsAborted += ((PushSource) config.source).dropped();
    }
    report.rejectsLocation = rejectsLocation;
    report.manifestLocation = manifest.lastLocation();
    report.memoryBudgetBytes = memoryBudget;
    report.peakBufferedBytes = peakBuffered.get();
    report.peakOpenFiles = peakOpen.get();
    report.error =
        failure == null
            ? null
            : failure.getMessage() == null ? failure.toString() : failure.getMessage();
    report.encoderDetails = encoderDetails;
    try {
      report.sinkCounters = config.sink.counters();
    } catch (RuntimeException e) {
      LOG.warn("Cannot read the sink's counters: {}", e.toString());
    }
    report.wallNanos = System.nanoTime() - startNanos;
    report.peakHeapBytes = jvm.peakHeapBytes();
    report.peakRssBytes = JvmMetrics.peakRssBytes();
    report.gcCount = jvm.gcCountSinceStart();
    report.gcMillis = jvm.gcMillisSinceStart();
    IngestReport result = new IngestReport(report);
    if (config.writeReport) {
      try {
        SinkFiles.write(
            config.sink,
            reportName(),
            result.toJson().getBytes(StandardCharsets.UTF_8),
            "the run report");
      } catch (IngestException e) {
        if (failure != null) {
          failure.addSuppressed(e);
        } else {
          throw e;
        }
      }
    }
    return result;
  }

  /** Thrown in a lane when the run is aborted past its stop deadline. */
  private static final class AbortedException extends IngestException {
    AbortedException() {
      super("aborted past the stop deadline");
    }
  }

  /** Thrown in a lane that stops because another lane failed. */
  private static final class StoppedException extends IngestException {
    StoppedException() {
      super("stopped because another worker failed");
    }
  }

  /**
   * One source read into its own sequence of files: one open file, or with a {@link
   * Partitioning} one per partition. Its counters are written by its thread only; the published*
   * fields are what other threads may read while it runs.
   *
   * <p>Acknowledgement with several open files: a source acknowledges everything up to a position,
   * so the lane acknowledges only when no file is open, i.e. when the last open file has been
   * committed. To keep that from waiting forever under steady input, a roll on age (and in a
   * streaming run, records left unacknowledged for the idle acknowledgement age) commits every
   * open file of the lane at once: a checkpoint.
   */
  private final class Lane {
    final int index;
    final int count;
    final Source source;
    final boolean mustOpen;
    final List<IngestReport.FileReport> files = new ArrayList<>();
    final Partitioning.Router router;
    /** This worker's own transformers. */
    final Transformer[] transformers;
    /**
     * Open files by partition path ("" without partitioning), least recently written first: a
     * lookup when the lane switches to a file moves it to the end.
     */
    final Map<String, OpenFile> open = new LinkedHashMap<>(16, 0.75f, true);
    /** Next sequence number per partition path. */
    final Map<String, long[]> sequences = new HashMap<>();
    long rowsRead;
    long rowsWritten;
    long rowsRejected;
    long rowsFiltered;
    long rowsAborted;
    long readNanos;
    long encodeNanos;
    long sinkNanos;
    long bytesOut;
    long memoryRolls;
    long sinceMemoryCheck;
    /** Time spent waiting for records that did not come (IDLE polls), for autoscaling. */
    long idleNanos;
    volatile long publishedIdleNanos;
    /** {@link #publishedIdleNanos} at the scaler's last look; the scaler's thread only. */
    long idleAtScale;
    /** Set by the scaler: stop taking input, commit, acknowledge, close the reader, end. */
    volatile boolean retire;
    volatile boolean done;
    volatile RuntimeException failure;
    /** The file the last row went to (a fast path before the map). */
    OpenFile current;
    /** nanoTime of the first record read since the last acknowledgement, or -1. */
    long unackedSinceNanos = -1;
    long lastTimerNanos;
    /** Counters as last added to the run's metrics. */
    long metricRead;
    long metricWritten;
    long metricRejected;
    long metricFiltered;
    volatile long publishedBytes;
    volatile long publishedRowsRead;
    volatile long publishedRowsWritten;
    volatile long publishedFiles;
    volatile long publishedBacklog = -1;
    volatile long publishedUnackedSince = -1;

    Lane(int index, int count, Source source, boolean mustOpen) {
      this.index = index;
      this.count = count;
      this.source = source;
      this.mustOpen = mustOpen;
      if (firstTransformers != null) {
        this.transformers = firstTransformers;
        firstTransformers = null;
      } else {
        this.transformers = newTransformers();
      }
      this.router =
          config.partitioning == null
              ? null
              : config.partitioning.bind(schema, System::currentTimeMillis);
    }

    /**
     * {@code <prefix>-<seq>.parquet}, or {@code <prefix>-<part>-<seq>.parquet} for parts, inside
     * the partition's directory if any.
     */
    String fileName(String partition, long seq) {
      String run = streaming ? "-" + runId : "";
      String name =
          count == 1
              ? String.format(Locale.ROOT, "%s%s-%05d.parquet", config.filePrefix, run, seq)
              : String.format(
                  Locale.ROOT, "%s%s-%03d-%05d.parquet", config.filePrefix, run, index, seq);
      return partition.isEmpty() ? name : partition + "/" + name;
    }

    void run(boolean reportProgress) {
      peakWorkers.accumulate(config.metrics.addWorkers(1));
      try {
        loop(reportProgress);
      } catch (AbortedException e) {
        abortOpenFiles();
      } finally {
        config.metrics.addWorkers(-1);
        publish();
        if (retire) {
          source.close();
        }
        done = true;
      }
    }

    private void loop(boolean reportProgress) {
      if (mustOpen) {
        source.open();
      }
      ParquetIngest c = config;
      Transformer[] ts = this.transformers;
      MutableRow row = new MutableRow(sourceSchema);
      lastTimerNanos = System.nanoTime();
      int sinceTimerCheck = 0;
      while (true) {
        if (stopRequested || retire) {
          if (abortRequested) {
            throw new AbortedException();
          }
          break;
        }
        long t0 = System.nanoTime();
        if (++sinceTimerCheck >= TIMER_CHECK_RECORDS) {
          sinceTimerCheck = 0;
          if (t0 - lastTimerNanos >= timerIntervalNanos) {
            onTimer(t0);
          }
        }
        Row out;
        boolean counted = false;
        try {
          Source.Poll polled = source.poll(row, timerIntervalNanos, TimeUnit.NANOSECONDS);
          if (polled != Source.Poll.RECORD) {
            long waited = System.nanoTime() - t0;
            readNanos += waited;
            if (polled == Source.Poll.IDLE) {
              idleNanos += waited;
            }
            if (polled == Source.Poll.END) {
              break;
            }
            onTimer(System.nanoTime());
            continue;
          }
          rowsRead++;
          if (unackedSinceNanos < 0) {
            unackedSinceNanos = t0;
          }
          counted = true;
          out = row;
          for (Transformer t : ts) {
            out = t.apply(out);
            if (out == null) {
              break;
            }
          }
        } catch (BadRecordException e) {
          readNanos += System.nanoTime() - t0;
          if (!counted) {
            rowsRead++;
          }
          if (unackedSinceNanos < 0) {
            unackedSinceNanos = t0;
          }
          Position at = source.position();
          e = e.located(source.name(), at == null ? -1 : at.line());
          if (c.badRecordPolicy == BadRecordPolicy.FAIL) {
            throw e;
          }
          rowsRejected++;
          reject(e);
          continue;
        }
        long t1 = System.nanoTime();
        readNanos += t1 - t0;
        if (out == null) {
          rowsFiltered++;
          continue;
        }
        OpenFile f = current;
        if (router == null) {
          if (f == null) {
            f = current = openFile("");
          }
        } else {
          String partition = router.path(out);
          if (f == null || !f.partition.equals(partition)) {
            f = open.get(partition);
            if (f == null) {
              f = openFile(partition);
            }
            current = f;
          }
        }
        f.encoder.write(out);
        f.rows++;
        rowsWritten++;
        boolean roll = c.batcher.shouldRoll(f);
        if ((f.rows & (MEMORY_CHECK_ROWS - 1)) == 0) {
          f.measure();
        }
        encodeNanos += System.nanoTime() - t1;
        if (roll) {
          commit(f);
        }
        if (++sinceMemoryCheck >= MEMORY_CHECK_ROWS) {
          sinceMemoryCheck = 0;
          if (c.metrics.bufferedBytesNow() > memoryBudget) {
            relieveMemory();
          }
        }
        if ((rowsWritten & (PUBLISH_ROWS - 1)) == 0) {
          publish();
          if (stopping) {
            throw new StoppedException();
          }
          if (reportProgress) {
            progressIfDue();
          }
        }
      }
      if (abortRequested) {
        throw new AbortedException();
      }
      if (!open.isEmpty()) {
        commitAll();
      } else if (streaming && unackedSinceNanos >= 0) {
        acknowledgeWithoutFile();
      }
      publish();
    }

    /**
     * The open files together hold more than the memory budget: commit this lane's largest files
     * (by their last measured buffered bytes) until the total is back under 90 % of the budget or
     * the lane has nothing open. Other lanes do the same when they see the total over budget.
     */
    private void relieveMemory() {
      for (OpenFile f : open.values()) {
        f.measure();
      }
      long floor = memoryBudget - memoryBudget / 10;
      while (!open.isEmpty() && config.metrics.bufferedBytesNow() > floor) {
        OpenFile largest = null;
        for (OpenFile f : open.values()) {
          if (largest == null || f.measuredBuffered > largest.measuredBuffered) {
            largest = f;
          }
        }
        memoryRolls++;
        config.metrics.memoryRoll();
        if (largest.rows < SMALL_FILE_ROWS && !warnedSmallFiles) {
          warnedSmallFiles = true;
          LOG.warn(
              "Memory budget {} bytes is too small for {} open files in this worker: files are"
                  + " finished after {} rows. Raise the memory budget (and the heap) or write"
                  + " fewer partitions at once.",
              memoryBudget,
              open.size(),
              largest.rows);
        }
        LOG.debug(
            "Memory budget {} exceeded: committing {} early ({} bytes buffered)",
            memoryBudget,
            largest.staged.location(),
            largest.measuredBuffered);
        commit(largest);
      }
    }

    /** Time has passed (with or without rows): roll on age, acknowledge what produced no row. */
    private void onTimer(long now) {
      lastTimerNanos = now;
      if (abortRequested) {
        throw new AbortedException();
      }
      if (stopping) {
        // another worker failed; an idle worker would otherwise never look
        throw new StoppedException();
      }
      if (!open.isEmpty()) {
        boolean checkpoint =
            streaming && unackedSinceNanos >= 0 && now - unackedSinceNanos >= idleAckNanos;
        if (!checkpoint) {
          for (OpenFile f : open.values()) {
            if (config.batcher.shouldRollOnTimer(f)) {
              checkpoint = true;
              break;
            }
          }
        }
        if (checkpoint) {
          commitAll();
        }
      } else if (streaming && unackedSinceNanos >= 0 && now - unackedSinceNanos >= idleAckNanos) {
        acknowledgeWithoutFile();
      }
      publish();
    }

    /** Records read since the last acknowledgement were all filtered or rejected. */
    private void acknowledgeWithoutFile() {
      commitRejects();
      Position last = source.position();
      unackedSinceNanos = -1;
      if (last != null) {
        source.acknowledge(last);
      }
    }

    /** Discards the open files: nothing in them is acknowledged, so the source delivers it again. */
    private void abortOpenFiles() {
      List<OpenFile> toAbort = new ArrayList<>(open.values());
      open.clear();
      current = null;
      for (OpenFile f : toAbort) {
        rowsAborted += f.rows;
        LOG.info(
            "Aborted {} ({} rows) past the stop deadline; its records are not acknowledged",
            f.staged.location(),
            f.rows);
        try {
          f.encoder.close();
        } finally {
          f.staged.abort();
          f.closed();
          config.metrics.fileAborted();
        }
      }
    }

    private long lastProgressNanos;

    private void progressIfDue() {
      long now = System.nanoTime();
      if (now - lastProgressNanos >= progressIntervalNanos) {
        lastProgressNanos = now;
        progress(false);
      }
    }

    private void publish() {
      publishedBytes = source.bytesRead();
      publishedRowsRead = rowsRead;
      publishedRowsWritten = rowsWritten;
      publishedFiles = files.size();
      publishedBacklog = source.backlog();
      publishedIdleNanos = idleNanos;
      publishedUnackedSince = unackedSinceNanos;
      config.metrics.addRecords(
          rowsRead - metricRead,
          rowsWritten - metricWritten,
          rowsRejected - metricRejected,
          rowsFiltered - metricFiltered);
      metricRead = rowsRead;
      metricWritten = rowsWritten;
      metricRejected = rowsRejected;
      metricFiltered = rowsFiltered;
      publishGauges();
    }

    private OpenFile openFile(String partition) {
      while (!open.isEmpty() && config.metrics.openFiles() >= config.maxOpenFiles) {
        OpenFile leastRecent = open.values().iterator().next();
        if (!warnedOpenFiles) {
          warnedOpenFiles = true;
          LOG.info(
              "{} files open: finishing the least recently written ones first (maxOpenFiles)",
              config.maxOpenFiles);
        }
        commit(leastRecent);
      }
      long t = System.nanoTime();
      long[] seq = sequences.computeIfAbsent(partition, k -> new long[1]);
      String name = fileName(partition, seq[0]++);
      if (!streaming && (router != null || shared != null) && seq[0] == 1) {
        refuseIfExists(name);
      }
      StagedOutput staged = config.sink.create(name);
      MeteredOutputStream stream = new MeteredOutputStream(staged.stream());
      Encoder encoder;
      try {
        encoder = config.encoder.open(schema, stream, config.encoderOptions);
      } catch (RuntimeException e) {
        staged.abort();
        throw e;
      }
      sinkNanos += System.nanoTime() - t;
      OpenFile f = new OpenFile(partition, staged, stream, encoder, source.position());
      open.put(partition, f);
      peakOpen.accumulate(config.metrics.addOpenFiles(1));
      f.measure();
      return f;
    }

    /** Commits every open file, then acknowledges: a checkpoint. */
    private void commitAll() {
      for (OpenFile f : new ArrayList<>(open.values())) {
        commit(f);
      }
    }

    /** Commits one file; acknowledges the source's position if no other file is open. */
    private void commit(OpenFile f) {
      long t0 = System.nanoTime();
      f.encoder.finish();
      addDetails(f.encoder.details());
      List<ColumnStats> columns = Manifest.compact(f.encoder.columnStats());
      f.encoder.close();
      long t1 = System.nanoTime();
      // Time spent in the sink's stream, during write() and finish(), belongs to the sink.
      long streamNanos = f.stream.nanos();
      try {
        f.stream.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write " + f.staged.location(), e);
      }
      if (abortRequested) {
        throw new AbortedException();
      }
      f.staged.commit();
      open.remove(f.partition);
      f.closed();
      if (current == f) {
        current = null;
      }
      long t2 = System.nanoTime();
      encodeNanos += (t1 - t0) - streamNanos;
      sinkNanos += (t2 - t1) + streamNanos;
      Position last = source.position();
      IngestReport.FileReport committed =
          new IngestReport.FileReport(
              f.staged.location(),
              f.rows,
              f.stream.bytes(),
              f.first == null ? null : f.first.describe(),
              last == null ? null : last.describe(),
              f.partition,
              columns);
      files.add(committed);
      manifest.add(committed);
      bytesOut += f.stream.bytes();
      publishedFiles = files.size();
      config.metrics.fileCommitted(f.stream.bytes());
      LOG.debug("Committed {} ({} rows, {} bytes)", f.staged.location(), f.rows, f.stream.bytes());
      if (!open.isEmpty()) {
        return;
      }
      if (streaming) {
        commitRejects();
        writeManifestSegment();
      }
      unackedSinceNanos = -1;
      if (last != null) {
        source.acknowledge(last);
      }
    }

    void abort(Throwable failure) {
      List<OpenFile> toAbort = new ArrayList<>(open.values());
      open.clear();
      current = null;
      for (OpenFile f : toAbort) {
        try {
          f.encoder.close();
        } catch (RuntimeException e) {
          failure.addSuppressed(e);
        }
        try {
          f.staged.abort();
        } catch (RuntimeException e) {
          failure.addSuppressed(e);
        }
        f.closed();
        config.metrics.fileAborted();
      }
    }
  }

  /** The file being written, as the batcher sees it. */
  private final class OpenFile implements FileStats {
    final String partition;
    final StagedOutput staged;
    final MeteredOutputStream stream;
    final Encoder encoder;
    final Position first;
    final long openedNanos = System.nanoTime();
    long rows;
    /** Memory (encoder and staged output) as last measured and added to the run's total. */
    long measuredBuffered;

    OpenFile(
        String partition,
        StagedOutput staged,
        MeteredOutputStream stream,
        Encoder encoder,
        Position first) {
      this.partition = partition;
      this.staged = staged;
      this.stream = stream;
      this.encoder = encoder;
      this.first = first;
    }

    /** Measures the encoder's buffered bytes and adds the change to the run's total. */
    void measure() {
      long now = encoder.memoryBytes() + staged.bufferedBytes();
      peakBuffered.accumulate(config.metrics.addBufferedBytes(now - measuredBuffered));
      measuredBuffered = now;
    }

    /** The file is committed or aborted: it holds no memory and is no longer open. */
    void closed() {
      config.metrics.addBufferedBytes(-measuredBuffered);
      measuredBuffered = 0;
      config.metrics.addOpenFiles(-1);
    }

    @Override
    public long rows() {
      return rows;
    }

    @Override
    public long bytesWritten() {
      return encoder.bytesWritten();
    }

    @Override
    public long bufferedBytes() {
      return encoder.bufferedBytes();
    }

    @Override
    public long estimatedBytes() {
      return encoder.estimatedFileSize();
    }

    @Override
    public long openedNanos() {
      return openedNanos;
    }
  }
}
