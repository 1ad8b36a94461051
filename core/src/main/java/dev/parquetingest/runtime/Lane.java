package dev.parquetingest.runtime;

import dev.parquetingest.common.BadRecordException;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Row;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.Source;
import dev.parquetingest.spi.Transformer;
import java.util.concurrent.TimeUnit;

/**
 * One source (a part of a split file, or a shared source's reader) read into its own files: the
 * loop source → transformers → open file → roll, with the bad-record policy. The files, rolling and
 * acknowledgements are its {@link PartitionFanOut}'s; its counters are its {@link LaneStats}. A
 * {@linkplain #checking checking} lane decodes, checks and transforms its records but writes none
 * of them: a resumed run's pass over the kept files' ranges, rebuilding their rejects. Runs on one
 * thread.
 */
final class Lane {
  private static final int PUBLISH_ROWS = 4096;

  /** How many records a busy lane reads between looks at the clock for its timer. */
  private static final int TIMER_CHECK_RECORDS = 64;

  final int index;
  final Source source;
  final boolean mustOpen;

  /**
   * Writes no row, only rejects; always rejects (the run whose files hold these ranges has decided
   * the policy: it rejected), whatever this run's policy.
   */
  final boolean checkOnly;

  final LaneStats stats = new LaneStats();
  final PartitionFanOut files;
  private final RunContext run;
  private final Transformer[] transformers;
  private final Clock clock;

  /** Set by the autoscaler: stop taking input, commit, acknowledge, close the reader, end. */
  volatile boolean retire;

  volatile boolean done;

  /** Whether the loop ended at the end of its input (not on a stop). */
  volatile boolean reachedEnd;

  volatile RuntimeException failure;

  /** {@link LaneStats#publishedIdleNanos} at the autoscaler's last look; its thread only. */
  long idleAtScale;

  private long lastTimerNanos;
  private long lastProgressNanos;

  Lane(RunContext run, int index, int count, Source source, boolean mustOpen, Transformer[] ts) {
    this(run, index, count, source, mustOpen, ts, false);
  }

  private Lane(
      RunContext run,
      int index,
      int count,
      Source source,
      boolean mustOpen,
      Transformer[] ts,
      boolean checkOnly) {
    this.run = run;
    this.index = index;
    this.source = source;
    this.mustOpen = mustOpen;
    this.checkOnly = checkOnly;
    this.transformers = ts;
    this.clock = run.config.clock();
    this.files = new PartitionFanOut(run, source, index, count, stats);
  }

  /**
   * A lane that reads {@code source} (not yet opened) to rebuild the rejects of a resumed run's
   * kept ranges: its records are decoded, checked and transformed, and only the rejected ones are
   * written (to the run's rejects file).
   */
  static Lane checking(RunContext run, int index, Source source, Transformer[] ts) {
    return new Lane(run, index, 2, source, true, ts, true);
  }

  /** Runs the loop to the end of the input, a stop, a retirement or a failure. */
  void run(boolean reportProgress) {
    run.peakWorkers.accumulate(run.config.counters().addWorkers(1));
    try {
      loop(reportProgress);
    } catch (AbortedException e) {
      files.abortPastDeadline();
    } finally {
      run.config.counters().addWorkers(-1);
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
    MutableRow row = new MutableRow(run.sourceSchema);
    long timerNanos = run.config.timerInterval().toNanos();
    lastTimerNanos = clock.nanoTime();
    int sinceTimerCheck = 0;
    while (!run.stopRequested && !retire) {
      long t0 = clock.nanoTime();
      if (++sinceTimerCheck >= TIMER_CHECK_RECORDS) {
        sinceTimerCheck = 0;
        if (t0 - lastTimerNanos >= timerNanos) {
          onTimer(t0);
        }
      }
      Row out;
      boolean counted = false;
      try {
        Source.Poll polled = source.poll(row, timerNanos, TimeUnit.NANOSECONDS);
        if (polled != Source.Poll.RECORD) {
          long waited = clock.nanoTime() - t0;
          stats.readNanos += waited;
          if (polled == Source.Poll.END) {
            reachedEnd = true;
            break;
          }
          stats.idleNanos += waited;
          onTimer(clock.nanoTime());
          continue;
        }
        read(t0);
        counted = true;
        out = transform(row);
      } catch (BadRecordException e) {
        stats.readNanos += clock.nanoTime() - t0;
        if (!counted) {
          read(t0);
        }
        reject(e);
        continue;
      }
      long t1 = clock.nanoTime();
      stats.readNanos += t1 - t0;
      if (out == null) {
        stats.rowsFiltered++;
        continue;
      }
      write(out, t1, reportProgress);
    }
    if (run.abortRequested) {
      throw new AbortedException();
    }
    if (!files.isEmpty()) {
      files.commitAll(clock.nanoTime());
    } else if (run.mode.acknowledgesIdle() && stats.unackedSinceNanos >= 0) {
      acknowledgeWithoutFile();
    }
    publish();
  }

  private void read(long t0) {
    stats.rowsRead++;
    if (stats.unackedSinceNanos < 0) {
      stats.unackedSinceNanos = t0;
    }
  }

  private Row transform(Row row) {
    Row out = row;
    for (int i = 0; i < transformers.length && out != null; i++) {
      out = transformers[i].apply(out);
    }
    return out;
  }

  /** The bad-record policy; the source and line the exception leaves unknown are filled in. */
  private void reject(BadRecordException e) {
    Position at = source.position();
    BadRecordException located = e.located(source.name(), at == null ? -1 : at.line());
    if (!checkOnly && !run.config.rejectBadRecords()) {
      throw located;
    }
    stats.rowsRejected++;
    run.rejects.reject(located);
  }

  private void write(Row out, long t1, boolean reportProgress) {
    long rows;
    if (checkOnly) {
      rows = stats.rowsRead;
    } else {
      files.write(out, t1);
      rows = stats.rowsWritten;
    }
    if ((rows & (PUBLISH_ROWS - 1)) == 0) {
      publish();
      if (run.stopping) {
        throw new StoppedException();
      }
      if (reportProgress && t1 - lastProgressNanos >= run.config.progressInterval().toNanos()) {
        lastProgressNanos = t1;
        run.progress(false);
      }
    }
  }

  /** Time has passed (with or without rows): roll on age, acknowledge what produced no row. */
  private void onTimer(long now) {
    lastTimerNanos = now;
    if (run.abortRequested) {
      throw new AbortedException();
    }
    if (run.stopping) {
      // another worker failed; an idle worker would otherwise never look
      throw new StoppedException();
    }
    boolean idleTooLong =
        run.mode.acknowledgesIdle()
            && stats.unackedSinceNanos >= 0
            && now - stats.unackedSinceNanos >= run.config.idleAcknowledgeAge().toNanos();
    if (!files.isEmpty()) {
      files.onTimer(now, idleTooLong);
    } else if (idleTooLong) {
      acknowledgeWithoutFile();
    }
    publish();
  }

  private void acknowledgeWithoutFile() {
    stats.unackedSinceNanos = -1;
    run.checkpoint.withoutFile(source);
  }

  void publish() {
    stats.publish(run.config.counters(), source.bytesRead(), source.backlog());
    run.publishGauges();
  }
}
