package dev.parquetingest.runtime;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.common.KeptOutput;
import dev.parquetingest.common.RunInterruptedException;
import dev.parquetingest.internal.JvmMetrics;
import dev.parquetingest.internal.SinkFiles;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Source;
import dev.parquetingest.spi.SplittableSource;
import dev.parquetingest.spi.Transformer;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One run of a pipeline: opens the source, makes its lanes (one, the parts of a split file, or one
 * reader per worker of a shared source), runs them (one on the caller's thread, several on threads
 * of their own while this thread reports progress and autoscales), and finishes: open files aborted
 * on failure, sources closed, rejects and manifest finished, the output guard ({@link RunGuard})
 * finished, totals added up. Used once. {@link #requestStop()} and {@link #requestAbort()} may be
 * called from any thread.
 */
public final class Run {
  private final PipelineConfig config;
  private final RunMode mode;
  private final RunGuard guard;
  private static final DateTimeFormatter RUN_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'", Locale.ROOT);

  /** The id in every data file's footer; for a streaming run also in every name. */
  private final String runId;

  /** A run of {@code ParquetIngest.run()}: a stop interrupts it. */
  private final boolean batch;

  private volatile RunContext run;
  private volatile boolean stopBeforeStart;
  private volatile boolean abortBeforeStart;
  private final LinkedBlockingQueue<Lane> ended = new LinkedBlockingQueue<>();
  private int laneCounter;
  private Autoscaler scaler;

  /**
   * @param runId null for a batch run; for a streaming run, the id that goes into every name
   */
  public Run(PipelineConfig config, String runId) {
    this.config = config;
    this.mode = runId == null ? RunMode.batch() : RunMode.streaming(runId);
    this.runId = runId == null ? newRunId() : runId;
    this.batch = runId == null && config.shared() == null;
    this.guard = new RunGuard(config, this.runId);
  }

  private static boolean allReachedEnd(RunContext r) {
    for (Lane lane : r.lanes) {
      if (!lane.reachedEnd) {
        return false;
      }
    }
    return !r.lanes.isEmpty();
  }

  /** What a stopped batch run kept, for its one-line message. */
  private static RunInterruptedException interrupted(RunContext r) {
    long files = 0;
    long rows = 0;
    for (Lane lane : r.lanes) {
      files += lane.stats.files.size();
      for (CommittedFile f : lane.stats.files) {
        rows += f.rows();
      }
    }
    return new RunInterruptedException(
        "Stopped before the end of the input: kept "
            + files
            + (files == 1 ? " file" : " files")
            + " ("
            + rows
            + " rows) in "
            + r.config.sink().describe()
            + (r.kept.isEmpty() ? "" : " besides the " + r.kept.size() + " kept before")
            + "; rerun with --resume (resume(true)) to read the rest");
  }

  /** Attaches to a failed batch run's failure which files (and lines) it kept. */
  private void noteKept(RunContext r, RuntimeException failure) {
    List<CommittedFile> files = new ArrayList<>(r.kept);
    for (Lane lane : r.lanes) {
      files.addAll(lane.stats.files);
    }
    KeptOutput notice = KeptRanges.notice(files, config.sink().describe(), config.sourceName());
    if (notice != null) {
      failure.addSuppressed(notice);
    }
  }

  /**
   * A run id that sorts by start time and differs between two runs started in the same millisecond:
   * {@code 20261122T002356123Z-3f9a}.
   */
  public static String newRunId() {
    return ZonedDateTime.now(ZoneOffset.UTC).format(RUN_ID)
        + String.format(Locale.ROOT, "-%04x", ThreadLocalRandom.current().nextInt(0x10000));
  }

  /** Asks every lane to stop taking input and to commit what it holds; returns at once. */
  public void requestStop() {
    if (config.push() != null) {
      // rows accepted by offer() are still drained: the lane ends when the queue is empty
      config.push().closeForOffers();
      return;
    }
    stopBeforeStart = true;
    RunContext r = run;
    if (r != null) {
      r.stopRequested = true;
    }
  }

  /** Asks every lane to discard its open file without acknowledging it; returns at once. */
  public void requestAbort() {
    abortBeforeStart = true;
    stopBeforeStart = true;
    RunContext r = run;
    if (r != null) {
      r.abortRequested = true;
      r.stopRequested = true;
    }
    if (config.push() != null) {
      config.push().closeForOffers();
    }
  }

  /**
   * Runs to the end of the input, a stop or a failure. A failure of the run is in the outcome, not
   * thrown; an {@link Error} is thrown after the open files are aborted.
   */
  public RunOutcome execute() {
    RunContext r = new RunContext(config, mode, runId);
    run = r;
    // after publishing r: a request that did not see it has set these flags
    if (abortBeforeStart) {
      r.abortRequested = true;
    }
    if (stopBeforeStart) {
      r.stopRequested = true;
    }
    JvmMetrics jvm = new JvmMetrics();
    jvm.start();
    config.counters().runStarts(r.budget, config.sink(), config.clock());
    RuntimeException failure = null;
    try {
      config.encoder().checkUsable(config.encoderOptions());
      OutputNames.Earlier earlier = guard.prepare(r);
      r.outputReady = earlier != null;
      Schema sourceSchema =
          config.shared() != null ? config.shared().open() : config.source().open();
      Transformer[] first = newTransformers();
      Schema schema = sourceSchema;
      for (Transformer t : first) {
        schema = t.outputSchema(schema);
      }
      r.schemas(sourceSchema, schema);
      if (config.resume() && earlier != null && !earlier.data.isEmpty()) {
        resumeLanes(r, earlier, first);
      } else {
        makeLanes(r, first);
      }
      if (earlier == null) {
        guard.refuseExisting(r);
        r.outputReady = true;
      }
      if (r.lanes.size() == 1 && !r.lanes.get(0).mustOpen) {
        r.lanes.get(0).run(true);
      } else {
        runInParallel(r);
      }
      r.progress(true);
    } catch (RuntimeException e) {
      failure = e;
    } catch (Error e) {
      jvm.stop();
      abortAll(r, e);
      throw e;
    }
    if (failure != null) {
      abortAll(r, failure);
    } else if (batch && r.stopRequested && !r.abortRequested && !allReachedEnd(r)) {
      failure = interrupted(r);
    }
    failure = finish(r, failure);
    if (batch && failure != null && !(failure instanceof RunInterruptedException)) {
      noteKept(r, failure);
    }
    jvm.stop();
    long dropped = config.push() != null ? config.push().dropped() : 0;
    int events = scaler == null ? 0 : scaler.events();
    return new RunOutcome(
        ReportBuilder.totals(r, jvm, events, dropped, failure), failure, this::writeReport);
  }

  /**
   * A resumed run: the kept files go into the manifest; one lane per range none of them holds, and
   * the lanes that re-read the kept ranges if their rejects are rebuilt.
   */
  private void resumeLanes(RunContext r, OutputNames.Earlier e, Transformer[] first) {
    RunGuard.ResumeSources sources = guard.resumeRanges(r, e);
    List<Source> parts = sources.gaps();
    for (int i = 0; i < parts.size(); i++) {
      Transformer[] ts = i == 0 ? first : newTransformers();
      r.lanes.add(new Lane(r, i, 2, parts.get(i), true, ts));
    }
    laneCounter = parts.size();
    List<Lane> rebuild = new ArrayList<>();
    for (Source s : sources.rebuild()) {
      rebuild.add(Lane.checking(r, laneCounter++, s, newTransformers()));
    }
    r.lanes.addAll(rebuild);
    r.rebuildLanes = List.copyOf(rebuild);
  }

  private void makeLanes(RunContext r, Transformer[] first) {
    if (r.shared != null) {
      for (int i = 0; i < config.minWorkers(); i++) {
        Transformer[] ts = i == 0 ? first : newTransformers();
        r.lanes.add(new Lane(r, laneCounter++, 0, r.shared.newReader(), true, ts));
      }
      return;
    }
    Source source = config.source();
    List<Source> parts =
        config.workers() > 1 && source instanceof SplittableSource
            ? ((SplittableSource) source).split(config.workers())
            : List.of(source);
    for (int i = 0; i < parts.size(); i++) {
      Transformer[] ts = i == 0 ? first : newTransformers();
      r.lanes.add(new Lane(r, i, parts.size(), parts.get(i), parts.get(i) != source, ts));
    }
    laneCounter = parts.size();
  }

  /** One worker's own transformers, in order. */
  private Transformer[] newTransformers() {
    Transformer[] ts = new Transformer[config.transformers().size()];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = config.transformers().get(i).get();
    }
    return ts;
  }

  private void startLane(RunContext r, Lane lane) {
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
                r.stopping = true;
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
  private void runInParallel(RunContext r) {
    for (Lane lane : r.lanes) {
      startLane(r, lane);
    }
    if (r.shared != null && config.workers() > config.minWorkers()) {
      scaler =
          new Autoscaler(
              r,
              () -> {
                Lane lane =
                    new Lane(r, laneCounter++, 0, r.shared.newReader(), true, newTransformers());
                lane.idleAtScale = 0;
                r.lanes.add(lane);
                startLane(r, lane);
                return lane;
              });
    }
    int alive = r.lanes.size();
    long interval = config.progressInterval().toNanos();
    try {
      while (alive > 0) {
        if (ended.poll(interval, TimeUnit.NANOSECONDS) != null) {
          alive--;
          continue;
        }
        r.progress(false);
        r.publishGauges();
        if (scaler != null && !r.stopping && !r.stopRequested) {
          alive += scaler.tick();
        }
      }
    } catch (InterruptedException e) {
      r.stopping = true;
      Thread.currentThread().interrupt();
      throw new IngestException("Cannot finish the run: interrupted", e);
    }
    // the cause is the first failure that is not a lane stopping because of another one
    RuntimeException first = null;
    for (Lane lane : r.lanes) {
      RuntimeException f = lane.failure;
      if (f != null && !(f instanceof StoppedException)) {
        first = Failures.chain(first, f);
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private static void abortAll(RunContext r, Throwable failure) {
    for (Lane lane : r.lanes) {
      lane.files.abortAll(failure);
    }
  }

  /**
   * Closes the sources, then finishes the rejects, the manifest and the output guard; returns the
   * failure.
   */
  private RuntimeException finish(RunContext r, RuntimeException failure) {
    for (Lane lane : r.lanes) {
      if (lane.source != config.source()) {
        Failures.suppressOrThrow(failure, lane.source::close);
      }
    }
    if (config.shared() != null) {
      Failures.suppressOrThrow(failure, config.shared()::close);
    } else {
      Failures.suppressOrThrow(failure, config.source()::close);
    }
    r.rejects.finish(failure);
    try {
      r.manifest.finish(failure);
    } catch (RuntimeException e) {
      return e;
    }
    return guard.finish(r, failure);
  }

  /**
   * Writes the report under its name, if the run writes one and got past the output checks (a run
   * refused, or failed before them, leaves nothing).
   */
  private void writeReport(SinkFiles.Text json) {
    RunContext r = run;
    if (config.writeReport() && r.outputReady) {
      String name = r.names.report();
      SinkFiles.write(config.sink(), name, json, "the run report", r.names.replaces(name));
    }
  }
}
