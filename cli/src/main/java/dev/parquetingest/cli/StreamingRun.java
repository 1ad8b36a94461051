package dev.parquetingest.cli;

import dev.parquetingest.IngestHandle;
import dev.parquetingest.IngestMetrics;
import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngestBuilder;
import dev.parquetingest.common.BadInputException;
import dev.parquetingest.spi.Sink;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a streaming pipeline as a service until it is told to end, the lifecycle {@code kafka} and
 * {@code sqs} share:
 *
 * <ul>
 *   <li>SIGTERM or SIGINT: a shutdown hook stops reading, commits the open files and acknowledges
 *       their records ({@link IngestHandle#stop}, within {@code --drain-timeout}), prints the
 *       summary, and ends the JVM with 0 ({@link Runtime#halt}: the JVM's own status after a signal
 *       would be 143 or 130; for a service a clean drain is success). A drain that aborted files
 *       (deadline passed) or failed ends with 1; if the drain has not returned {@link #GRACE} after
 *       its deadline the hook ends the JVM with 1 anyway.
 *   <li>{@code --stop-when-idle}: once no record has arrived for that long while the source shows
 *       no backlog (0, or unknown), the same drain, then the exit code as for a signal.
 *   <li>The pipeline failing by itself: its exception goes to {@link Main}'s handler (exit 3 for
 *       bad input, 1 otherwise).
 * </ul>
 *
 * <p>Used by one command thread; the hook runs on its own.
 */
final class StreamingRun {
  /** How long after the drain deadline the signal hook waits before it ends the JVM anyway. */
  static final Duration GRACE = Duration.ofSeconds(10);

  /** How often the command looks at the idle clock. */
  private static final long TICK_MILLIS = 200;

  private final StreamingOptions options;
  private final PrintWriter out;
  private final PrintWriter err;

  StreamingRun(StreamingOptions options, PrintWriter out, PrintWriter err) {
    this.options = options;
    this.out = out;
    this.err = err;
  }

  /**
   * Starts {@code ingest} (source set; sink, metrics and the shared options set here) and runs it
   * until a signal, the idle stop or a failure; closes {@code sink}. Returns the exit code.
   */
  int run(ParquetIngestBuilder ingest, Sink sink) throws InterruptedException {
    IngestMetrics metrics = new IngestMetrics();
    options.apply(ingest);
    ingest.sink(sink).metrics(metrics);
    boolean showProgress =
        showProgress(options.progress, options.json, ProgressBar.stderrIsTerminal());
    IngestHandle handle;
    try {
      handle = ingest.start();
    } catch (RuntimeException e) {
      sink.close();
      throw e;
    }
    ScheduledExecutorService ticker = null;
    if (showProgress) {
      StreamProgress progress = new StreamProgress(metrics, err);
      ticker =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "parquet-ingest-progress");
                t.setDaemon(true);
                return t;
              });
      ticker.scheduleAtFixedRate(progress::print, 1, 1, TimeUnit.SECONDS);
    }
    Thread hook = new Thread(() -> onSignal(handle, sink), "parquet-ingest-drain");
    Runtime.getRuntime().addShutdownHook(hook);
    long lastIn = -1;
    long quietSince = System.nanoTime();
    while (handle.isRunning()) {
      Thread.sleep(TICK_MILLIS);
      long in = metrics.recordsIn();
      // records known to wait in the source (a partition's lag, a queue's depth) are not idleness
      if (in != lastIn || metrics.sourceBacklog() > 0) {
        lastIn = in;
        quietSince = System.nanoTime();
      } else if (options.stopWhenIdle != null
          && System.nanoTime() - quietSince >= options.stopWhenIdle.toNanos()) {
        break;
      }
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // a signal arrived: the hook drains, prints and ends the JVM
      hook.join();
    }
    if (ticker != null) {
      ticker.shutdownNow();
      err.println();
    }
    IngestReport r;
    try {
      r = handle.stop(options.drainTimeout);
    } finally {
      sink.close();
    }
    print(r);
    return exitCode(r);
  }

  /**
   * Whether to draw the progress line: never with {@code --json} (the output is for a program),
   * else as {@code --progress}/{@code --no-progress} says, else when stderr is a terminal.
   */
  static boolean showProgress(Boolean progress, boolean json, boolean terminal) {
    return !json && (progress != null ? progress : terminal);
  }

  /** The shutdown hook: drain, print, end the JVM with the drain's code. */
  private void onSignal(IngestHandle handle, Sink sink) {
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(options.drainTimeout.plus(GRACE).toMillis());
              } catch (InterruptedException e) {
                return;
              }
              err.println(
                  "parquet-ingest: Cannot drain within --drain-timeout "
                      + options.drainTimeout
                      + " (and "
                      + GRACE.toSeconds()
                      + " s more): exiting; what is not committed is read again on the next"
                      + " start");
              err.flush();
              Runtime.getRuntime().halt(1);
            },
            "parquet-ingest-drain-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    err.println(
        "parquet-ingest: stopping: committing the open files (at most "
            + options.drainTimeout.toSeconds()
            + " s)");
    err.flush();
    int code;
    try {
      IngestReport r = handle.stop(options.drainTimeout);
      print(r);
      code = exitCode(r);
    } catch (RuntimeException e) {
      err.println("parquet-ingest: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
      code = e instanceof BadInputException ? Main.EXIT_BAD_INPUT : 1;
    } finally {
      sink.close();
    }
    out.flush();
    err.flush();
    Runtime.getRuntime().halt(code);
  }

  private void print(IngestReport r) {
    if (options.json) {
      out.print(r.toJson());
    } else {
      CsvCommand.printSummary(out, r);
      if (!r.sourceBacklogByPartition().isEmpty()) {
        StringBuilder lag = new StringBuilder("  lag at the end:");
        r.sourceBacklogByPartition()
            .forEach((p, n) -> lag.append(String.format(Locale.ROOT, " %s %,d", p, n)));
        out.println(lag);
      }
      if (r.rowsAborted() > 0) {
        out.printf(
            Locale.ROOT,
            "  aborted %,d rows not committed within --drain-timeout %s: not acknowledged, read"
                + " again on the next start%n",
            r.rowsAborted(),
            options.drainTimeout);
      }
    }
    out.flush();
  }

  /** 0 for a clean stop; 1 if the run failed or a file had to be aborted at the deadline. */
  static int exitCode(IngestReport r) {
    return r.succeeded() && r.rowsAborted() == 0 ? 0 : 1;
  }
}
