package dev.parquetingest;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.runtime.PipelineConfig;
import dev.parquetingest.runtime.PushSource;
import dev.parquetingest.runtime.Run;
import dev.parquetingest.schema.Row;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pipeline running on its own thread, started by {@link ParquetIngest#start()}: over an endless
 * source (a queue, or rows the application {@link #offer}s) it runs until stopped.
 *
 * <p>Shutdown contract of {@link #stop(Duration)}: the pipeline stops taking input (a push pipeline
 * refuses new offers but still writes the rows already accepted), finishes and commits its open
 * file, acknowledges the records in it, closes the source and returns the report. If that has not
 * happened by the deadline, the open file is aborted and its records are <em>not</em> acknowledged,
 * so a source that can deliver again (SQS) will; {@link IngestReport#rowsAborted()} counts them. A
 * file is never acknowledged unless the sink committed it.
 *
 * <p>Thread-safe: {@link #offer} from any number of threads; {@link #stop}, {@link #close()} and
 * {@link #await()} from any thread, any number of times: the first stop does the work, later calls
 * return the same report (or throw the same failure). {@code close()} is {@code
 * stop(closeDeadline)}, so try-with-resources drains the pipeline.
 */
public final class IngestHandle implements AutoCloseable {
  /** How long {@link #close()} lets the pipeline drain unless the builder set another deadline. */
  public static final Duration DEFAULT_STOP_DEADLINE = Duration.ofSeconds(30);

  /**
   * How long a stop waits, after its deadline, for the pipeline to abort: one poll of the source
   * plus one sink request (the S3 sink's request timeout bounds that).
   */
  static final Duration ABORT_WAIT = Duration.ofSeconds(60);

  private static final Logger LOG = LoggerFactory.getLogger(IngestHandle.class);
  private final PipelineConfig config;
  private final Duration closeDeadline;
  private final Duration offerTimeout;
  private final int pushCapacity;
  private final Run run;
  private final PushSource push;
  private final Thread thread;
  private final Thread shutdownHook;
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile IngestReport report;
  private volatile RuntimeException failure;
  private boolean stopped;

  private IngestHandle(
      PipelineConfig config,
      Duration stopOnShutdown,
      Duration closeDeadline,
      Duration offerTimeout,
      int pushCapacity) {
    this.config = config;
    this.closeDeadline = closeDeadline;
    this.offerTimeout = offerTimeout;
    this.pushCapacity = pushCapacity;
    this.run = new Run(config, Run.newRunId());
    this.push = config.push();
    this.thread = new Thread(this::runPipeline, "parquet-ingest-" + config.filePrefix());
    this.thread.setDaemon(true);
    if (stopOnShutdown != null) {
      Duration deadline = stopOnShutdown;
      shutdownHook =
          new Thread(
              () -> {
                try {
                  stop(deadline);
                } catch (RuntimeException e) {
                  LOG.warn("Stopping the ingest at JVM shutdown failed: {}", e.toString());
                }
              },
              "parquet-ingest-shutdown-" + config.filePrefix());
    } else {
      shutdownHook = null;
    }
  }

  static IngestHandle start(
      PipelineConfig config,
      Duration stopOnShutdown,
      Duration closeDeadline,
      Duration offerTimeout,
      int pushCapacity) {
    IngestHandle handle =
        new IngestHandle(config, stopOnShutdown, closeDeadline, offerTimeout, pushCapacity);
    if (handle.shutdownHook != null) {
      Runtime.getRuntime().addShutdownHook(handle.shutdownHook);
    }
    handle.thread.start();
    return handle;
  }

  private void runPipeline() {
    try {
      report = IngestReport.finish(run.execute());
    } catch (RuntimeException e) {
      failure = e;
      LOG.warn("Ingest failed: {}", e.toString());
    } catch (Error e) {
      failure = new IngestException("Cannot go on: " + e, e);
      throw e;
    } finally {
      done.countDown();
    }
  }

  /**
   * Hands one row to a push pipeline, copying it (the caller may reuse {@code row} when this
   * returns). Blocks while the pipeline's queue is full, at most {@code timeout}.
   *
   * @return true if the row was taken; false if the queue stayed full for the whole timeout
   * @throws IllegalStateException if this pipeline does not read pushed rows, or is stopping or has
   *     ended (also after a failure, which {@link #stop} then reports)
   * @throws IllegalArgumentException if the row's schema is not the one given to {@link
   *     ParquetIngestBuilder#push}
   * @throws IngestException if the calling thread is interrupted while waiting
   */
  public boolean offer(Row row, Duration timeout) {
    Objects.requireNonNull(row, "row");
    Objects.requireNonNull(timeout, "timeout");
    PushSource p = pushSource();
    if (done.getCount() == 0) {
      throw new IllegalStateException("Cannot offer row: the ingest has ended");
    }
    try {
      return p.offer(row, timeout.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IngestException("Cannot offer row: interrupted while the queue was full", e);
    }
  }

  /**
   * Like {@link #offer(Row, Duration)} with the builder's {@code offerTimeout}, but throws when the
   * queue stays full.
   *
   * @throws IngestException if the queue stayed full for the whole offer timeout: the pipeline
   *     writes slower than rows arrive
   */
  public void offer(Row row) {
    if (!offer(row, offerTimeout)) {
      throw new IngestException(
          "Cannot offer row: the queue of "
              + pushCapacity
              + " rows stayed full for "
              + offerTimeout
              + "; the pipeline writes slower than rows arrive");
    }
  }

  private PushSource pushSource() {
    if (push == null) {
      throw new IllegalStateException(
          "Cannot offer row: this ingest reads from "
              + config.sourceName()
              + "; build it with push(schema) to offer rows");
    }
    return push;
  }

  /** Rows offered and not yet taken by the pipeline (0 unless this is a push pipeline). */
  public int queuedRows() {
    return push == null ? 0 : push.queued();
  }

  /** True until the pipeline has ended (stopped, failed, or its source ended). */
  public boolean isRunning() {
    return done.getCount() > 0;
  }

  /**
   * Waits until the source ends by itself (a finite source), then returns the report.
   *
   * @throws IngestException (or a subclass) if the run failed
   */
  public IngestReport await() {
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IngestException("Cannot wait for the ingest: interrupted", e);
    }
    synchronized (this) {
      stopped = true;
      removeShutdownHook();
    }
    return result();
  }

  /**
   * Stops the pipeline as described in the class comment and returns its report. Idempotent.
   *
   * @param deadline how long the open file may take to be committed; {@link Duration#ZERO} aborts
   *     it at once, as a crash would (nothing in it is acknowledged)
   * @throws IngestException (or a subclass) if the run failed, before or while stopping, or if it
   *     did not end within {@link #ABORT_WAIT} after the deadline
   */
  public IngestReport stop(Duration deadline) {
    Objects.requireNonNull(deadline, "deadline");
    if (deadline.isNegative()) {
      throw new IllegalArgumentException("Invalid stop deadline " + deadline + ": negative");
    }
    synchronized (this) {
      if (!stopped) {
        stopped = true;
        try {
          if (deadline.isZero()) {
            run.requestAbort();
          } else {
            run.requestStop();
            if (!awaitDone(deadline)) {
              LOG.warn("Ingest did not drain within {}; aborting its open files", deadline);
              run.requestAbort();
            }
          }
          if (!awaitDone(ABORT_WAIT)) {
            throw new IngestException(
                "Cannot stop the ingest: its thread did not end within "
                    + ABORT_WAIT
                    + " after the deadline of "
                    + deadline);
          }
        } finally {
          removeShutdownHook();
        }
      }
    }
    return result();
  }

  /** {@code stop(closeDeadline)}: drains the pipeline. Idempotent. */
  @Override
  public void close() {
    stop(closeDeadline);
  }

  private boolean awaitDone(Duration timeout) {
    try {
      return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      run.requestAbort();
      throw new IngestException("Cannot stop the ingest cleanly: interrupted; aborted it", e);
    }
  }

  private void removeShutdownHook() {
    if (shutdownHook == null || Thread.currentThread() == shutdownHook) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down; the hook runs and finds the work done
    }
  }

  private IngestReport result() {
    if (failure != null) {
      throw failure;
    }
    return report;
  }
}
