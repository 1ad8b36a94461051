package dev.parquetingest;

import dev.parquetingest.internal.JvmMetrics;
import dev.parquetingest.internal.Json;
import dev.parquetingest.internal.MeteredOutputStream;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.FileStats;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.Source;
import dev.parquetingest.spi.SplittableSource;
import dev.parquetingest.spi.StagedOutput;
import dev.parquetingest.spi.Transformer;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
  /** How many records a busy lane reads between looks at the clock for its timer. */
  private static final int TIMER_CHECK_RECORDS = 64;

  private final ParquetIngest config;
  private final JvmMetrics jvm = new JvmMetrics();
  private final Map<String, String> encoderDetails = new LinkedHashMap<>();
  private final long progressIntervalNanos = ParquetIngest.PROGRESS_INTERVAL.toNanos();
  private final Transformer[] transformers;
  private final boolean streaming;
  private final String runId;
  private final long timerIntervalNanos;
  private final long idleAckNanos;

  private long startNanos;
  private Schema sourceSchema;
  private Schema schema;
  private List<Lane> lanes = List.of();
  private volatile boolean stopping;
  /** Stop taking input: end the loop, commit and acknowledge what is open. */
  private volatile boolean stopRequested;
  /** Past the stop deadline: discard what is open and acknowledge nothing more. */
  private volatile boolean abortRequested;
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
    this.transformers = config.transformers.toArray(new Transformer[0]);
    this.streaming = runId != null;
    this.runId = runId;
    this.timerIntervalNanos = ParquetIngest.TIMER_INTERVAL.toNanos();
    this.idleAckNanos =
        config.maxFileAge != null
            ? config.maxFileAge.toNanos()
            : ParquetIngest.DEFAULT_IDLE_ACKNOWLEDGE_AGE.toNanos();
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
    RuntimeException failure = null;
    try {
      config.encoder.checkUsable(config.encoderOptions);
      sourceSchema = config.source.open();
      schema = sourceSchema;
      for (Transformer t : config.transformers) {
        schema = t.outputSchema(schema);
      }
      List<Source> parts =
          config.workers > 1 && config.source instanceof SplittableSource
              ? ((SplittableSource) config.source).split(config.workers)
              : List.of(config.source);
      List<Lane> created = new ArrayList<>(parts.size());
      for (int i = 0; i < parts.size(); i++) {
        created.add(new Lane(i, parts.size(), parts.get(i), parts.get(i) != config.source));
      }
      lanes = created;
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
    IngestReport result = finishReport(failure);
    if (failure != null) {
      throw failure;
    }
    return result;
  }

  private void runInParallel() {
    CountDownLatch done = new CountDownLatch(lanes.size());
    List<Thread> threads = new ArrayList<>();
    RuntimeException[] failures = new RuntimeException[lanes.size()];
    for (Lane lane : lanes) {
      Thread t =
          new Thread(
              () -> {
                try {
                  lane.run(false);
                } catch (RuntimeException | Error e) {
                  failures[lane.index] =
                      e instanceof RuntimeException ? (RuntimeException) e : new IngestException(e.toString(), e);
                  stopping = true;
                } finally {
                  done.countDown();
                }
              },
              "parquet-ingest-" + lane.index);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    try {
      while (!done.await(progressIntervalNanos, TimeUnit.NANOSECONDS)) {
        progress(false);
      }
    } catch (InterruptedException e) {
      stopping = true;
      Thread.currentThread().interrupt();
      throw new IngestException("Cannot finish the run: interrupted", e);
    }
    // the cause is the first failure that is not a lane stopping because of another one
    RuntimeException first = null;
    for (RuntimeException f : failures) {
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

  private void checkNothingToOverwrite() {
    List<String> names = new ArrayList<>();
    for (Lane lane : lanes) {
      names.add(lane.fileName(0));
    }
    names.add(rejectsName());
    if (config.writeReport) {
      names.add(reportName());
    }
    for (String name : names) {
      if (config.sink.exists(name)) {
        throw new IngestException(
            "Cannot write to "
                + config.sink.describe()
                + ": "
                + name
                + " already exists; use an empty output location or another file prefix");
      }
    }
  }

  private String rejectsName() {
    return streaming
        ? String.format(
            Locale.ROOT, "_%s-%s.rejects-%05d.jsonl", config.filePrefix, runId, rejectsSequence)
        : "_" + config.filePrefix + ".rejects.jsonl";
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
    report.workers = lanes.size();
    for (Lane lane : lanes) {
      report.rowsRead += lane.rowsRead;
      report.rowsWritten += lane.rowsWritten;
      report.rowsRejected += lane.rowsRejected;
      report.rowsFiltered += lane.rowsFiltered;
      report.rowsAborted += lane.rowsAborted;
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
      StagedOutput out = null;
      try {
        out = config.sink.create(reportName());
        out.stream().write(result.toJson().getBytes(StandardCharsets.UTF_8));
        out.stream().flush();
        out.commit();
      } catch (IOException | RuntimeException e) {
        if (out != null) {
          out.abort();
        }
        if (failure != null) {
          failure.addSuppressed(e);
        } else {
          throw new IngestException("Cannot write the run report " + reportName() + ": " + e, e);
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
   * One source read into its own sequence of files. Its counters are written by its thread only;
   * the published* fields are what other threads may read while it runs.
   */
  private final class Lane {
    final int index;
    final int count;
    final Source source;
    final boolean mustOpen;
    final List<IngestReport.FileReport> files = new ArrayList<>();
    long rowsRead;
    long rowsWritten;
    long rowsRejected;
    long rowsFiltered;
    long rowsAborted;
    long readNanos;
    long encodeNanos;
    long sinkNanos;
    long bytesOut;
    long sequence;
    OpenFile current;
    /** nanoTime of the first record read since the last acknowledgement, or -1. */
    long unackedSinceNanos = -1;
    long lastTimerNanos;
    volatile long publishedBytes;
    volatile long publishedRowsRead;
    volatile long publishedRowsWritten;
    volatile long publishedFiles;

    Lane(int index, int count, Source source, boolean mustOpen) {
      this.index = index;
      this.count = count;
      this.source = source;
      this.mustOpen = mustOpen;
    }

    /** {@code <prefix>-<seq>.parquet}, or {@code <prefix>-<part>-<seq>.parquet} for parts. */
    String fileName(long seq) {
      String run = streaming ? "-" + runId : "";
      return count == 1
          ? String.format(Locale.ROOT, "%s%s-%05d.parquet", config.filePrefix, run, seq)
          : String.format(
              Locale.ROOT, "%s%s-%03d-%05d.parquet", config.filePrefix, run, index, seq);
    }

    void run(boolean reportProgress) {
      try {
        loop(reportProgress);
      } catch (AbortedException e) {
        abortOpenFile();
      }
    }

    private void loop(boolean reportProgress) {
      if (mustOpen) {
        source.open();
      }
      ParquetIngest c = config;
      Transformer[] ts = transformers;
      MutableRow row = new MutableRow(sourceSchema);
      lastTimerNanos = System.nanoTime();
      int sinceTimerCheck = 0;
      while (true) {
        if (stopRequested) {
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
            readNanos += System.nanoTime() - t0;
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
        if (current == null) {
          current = openFile();
        }
        current.encoder.write(out);
        current.rows++;
        rowsWritten++;
        boolean roll = c.batcher.shouldRoll(current);
        encodeNanos += System.nanoTime() - t1;
        if (roll) {
          commitCurrent();
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
      if (current != null) {
        commitCurrent();
      } else if (streaming && unackedSinceNanos >= 0) {
        acknowledgeWithoutFile();
      }
      publish();
    }

    /** Time has passed (with or without rows): roll on age, acknowledge what produced no row. */
    private void onTimer(long now) {
      lastTimerNanos = now;
      if (abortRequested) {
        throw new AbortedException();
      }
      if (current != null) {
        if (config.batcher.shouldRollOnTimer(current)) {
          commitCurrent();
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

    /** Discards the open file: nothing in it is acknowledged, so the source delivers it again. */
    private void abortOpenFile() {
      OpenFile f = current;
      current = null;
      if (f == null) {
        return;
      }
      rowsAborted += f.rows;
      LOG.info(
          "Aborted {} ({} rows) past the stop deadline; its records are not acknowledged",
          f.staged.location(),
          f.rows);
      try {
        f.encoder.close();
      } finally {
        f.staged.abort();
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
    }

    private OpenFile openFile() {
      long t = System.nanoTime();
      StagedOutput staged = config.sink.create(fileName(sequence++));
      MeteredOutputStream stream = new MeteredOutputStream(staged.stream());
      Encoder encoder;
      try {
        encoder = config.encoder.open(schema, stream, config.encoderOptions);
      } catch (RuntimeException e) {
        staged.abort();
        throw e;
      }
      sinkNanos += System.nanoTime() - t;
      return new OpenFile(staged, stream, encoder, source.position());
    }

    private void commitCurrent() {
      OpenFile f = current;
      long t0 = System.nanoTime();
      f.encoder.finish();
      addDetails(f.encoder.details());
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
      current = null;
      long t2 = System.nanoTime();
      encodeNanos += (t1 - t0) - streamNanos;
      sinkNanos += (t2 - t1) + streamNanos;
      Position last = source.position();
      files.add(
          new IngestReport.FileReport(
              f.staged.location(),
              f.rows,
              f.stream.bytes(),
              f.first == null ? null : f.first.describe(),
              last == null ? null : last.describe()));
      bytesOut += f.stream.bytes();
      publishedFiles = files.size();
      LOG.debug("Committed {} ({} rows, {} bytes)", f.staged.location(), f.rows, f.stream.bytes());
      if (streaming) {
        commitRejects();
      }
      unackedSinceNanos = -1;
      if (last != null) {
        source.acknowledge(last);
      }
    }

    void abort(Throwable failure) {
      OpenFile f = current;
      current = null;
      if (f == null) {
        return;
      }
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
    }
  }

  /** The file being written, as the batcher sees it. */
  private static final class OpenFile implements FileStats {
    final StagedOutput staged;
    final MeteredOutputStream stream;
    final Encoder encoder;
    final Position first;
    final long openedNanos = System.nanoTime();
    long rows;

    OpenFile(StagedOutput staged, MeteredOutputStream stream, Encoder encoder, Position first) {
      this.staged = staged;
      this.stream = stream;
      this.encoder = encoder;
      this.first = first;
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
