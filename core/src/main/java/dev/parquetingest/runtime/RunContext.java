package dev.parquetingest.runtime;

import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.SharedSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the lanes of one run share: the settings, the schemas, the names, the memory budget, the
 * file factory, the rejects file, the manifest and the checkpoint order, and the flags by which the
 * run stops them. The flags are volatile; everything else is immutable or thread-safe.
 */
final class RunContext {
  private static final Logger LOG = LoggerFactory.getLogger(RunContext.class);

  final PipelineConfig config;
  final RunMode mode;
  final OutputNames names;
  final MemoryBudget budget;
  final RejectsFile rejects;
  final Manifest manifest;
  final Checkpoint checkpoint;
  final EncoderDetails details = new EncoderDetails();
  final SharedSource shared;
  final LongAccumulator peakWorkers = new LongAccumulator(Math::max, 0);
  final List<Lane> lanes = new CopyOnWriteArrayList<>();
  final long startNanos;

  /** Wall-clock start of the run, for the report. */
  final long startEpochMillis;

  /** The run id written into every data file's footer ({@link Encoder#RUN_ID_KEY}). */
  final String runId;

  private final Set<String> warned = ConcurrentHashMap.newKeySet();
  Schema sourceSchema;
  Schema schema;
  RollingFile.Factory files;

  /** For an overwrite: what the earlier run left, removed at the end unless replaced. */
  OutputNames.Earlier overwritten;

  /** For a resumed run: the files of the earlier run it keeps. */
  List<CommittedFile> kept = List.of();

  /** Rejected records of a resumed run's kept files, carried over from the earlier rejects. */
  long carriedRejects;

  /**
   * For a resumed run: the rejects of the kept files' lines are rebuilt by re-reading their ranges,
   * not carried over (the interrupted run was killed while it rejected records, so its rejects file
   * was never committed; or that file is too large to read back).
   */
  boolean rebuildKeptRejects;

  /** The lanes re-reading the kept files' ranges ({@link #rebuildKeptRejects}); null until made. */
  volatile List<Lane> rebuildLanes;

  /** Whether this run wrote its in-progress marker (and removes it at its end). */
  boolean markerWritten;

  /** Whether the output location passed the checks: the run may write its report. */
  volatile boolean outputReady;

  /** A lane failed: the others stop at their next check. */
  volatile boolean stopping;

  /** Stop taking input: end the loop, commit and acknowledge what is open. */
  volatile boolean stopRequested;

  /** Past the stop deadline: discard what is open and acknowledge nothing more. */
  volatile boolean abortRequested;

  RunContext(PipelineConfig config, RunMode mode, String runId) {
    this.config = config;
    this.mode = mode;
    this.runId = runId;
    this.names = new OutputNames(config.sink(), config.filePrefix(), mode);
    this.budget = new MemoryBudget(config.memoryBudgetBytes(), config.maxOpenFiles());
    this.rejects = new RejectsFile(config.sink(), names, mode.checkpointsCommitRejects());
    this.manifest = new Manifest(config.sink(), names, mode.checkpointsCommitRejects());
    this.checkpoint = new Checkpoint(rejects, manifest);
    this.shared = config.shared();
    this.startNanos = config.clock().nanoTime();
    this.startEpochMillis = config.clock().currentTimeMillis();
  }

  /** The schemas are known: files can be opened. */
  void schemas(Schema sourceSchema, Schema schema) {
    this.sourceSchema = sourceSchema;
    this.schema = schema;
    this.files =
        new RollingFile.Factory(
            config.sink(),
            names,
            config.encoder(),
            config.encoderOptions(),
            schema,
            config.clock(),
            budget,
            config.counters(),
            details,
            Map.of(Encoder.SOURCE_KEY, config.sourceName(), Encoder.RUN_ID_KEY, runId));
  }

  /**
   * Whether the rejects this run commits may lack some of the kept files' lines: a rebuild was due
   * and has not read every kept range to its end (it was stopped, failed, or never started).
   */
  boolean keptRejectsIncomplete() {
    if (!rebuildKeptRejects) {
      return false;
    }
    List<Lane> rebuild = rebuildLanes;
    if (rebuild == null) {
      return true;
    }
    for (Lane lane : rebuild) {
      if (!lane.reachedEnd) {
        return true;
      }
    }
    return false;
  }

  BooleanSupplier aborted() {
    return () -> abortRequested;
  }

  /** Logs a warning the first time {@code key} comes up in this run. */
  void warnOnce(String key, String message, Object... args) {
    if (warned.add(key)) {
      LOG.warn(message, args);
    }
  }

  /** Reports progress from what the lanes published. */
  void progress(boolean done) {
    ProgressSink sink = config.progress();
    if (sink == null) {
      return;
    }
    long bytes = 0;
    long total = 0;
    long rowsRead = 0;
    long rowsWritten = 0;
    long files = 0;
    for (Lane lane : lanes) {
      bytes += lane.stats.publishedBytes;
      long hint = lane.source.sizeHint();
      total = hint < 0 || total < 0 ? -1 : total + hint;
      rowsRead += lane.stats.publishedRowsRead;
      rowsWritten += lane.stats.publishedRowsWritten;
      files += lane.stats.publishedFiles;
    }
    sink.progress(
        bytes,
        lanes.isEmpty() ? -1 : total,
        rowsRead,
        rowsWritten,
        files,
        config.clock().nanoTime() - startNanos,
        done);
  }

  /** Run-wide gauges from what the lanes published: the source backlog, the delivery lag. */
  void publishGauges() {
    long backlog = shared != null ? shared.backlog() : 0;
    long oldest = -1;
    for (Lane lane : lanes) {
      long b = shared != null ? 0 : lane.stats.publishedBacklog;
      backlog = b < 0 || backlog < 0 ? -1 : backlog + b;
      long u = lane.stats.publishedUnackedSince;
      if (u >= 0 && (oldest < 0 || u < oldest)) {
        oldest = u;
      }
    }
    config.counters().sourceBacklog(backlog);
    config
        .counters()
        .sourceBacklogByPartition(shared != null ? shared.backlogByPartition() : Map.of());
    config.counters().oldestUnacknowledged(oldest);
  }
}
