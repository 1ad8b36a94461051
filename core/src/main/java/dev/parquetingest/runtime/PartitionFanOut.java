package dev.parquetingest.runtime;

import dev.parquetingest.partition.Partitioning;
import dev.parquetingest.schema.Row;
import dev.parquetingest.spi.Batcher;
import dev.parquetingest.spi.KeyedSource;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.RollReason;
import dev.parquetingest.spi.Source;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lane's open files: one, or with a {@link Partitioning} one per partition, each with its own
 * sequence of names. It finds the file a row goes to (opening it, and first closing the least
 * recently written file when the run is at {@code maxOpenFiles}), commits files (one on a roll, all
 * at a checkpoint, the largest ones when the memory budget is exceeded) and aborts them. Whether a
 * file rolls is always the {@link Batcher}'s answer, asked with the {@link RollReason} and the
 * runtime clock's time; this class only gathers the facts (rows written, time passed, memory over
 * budget, a checkpoint due, a slot needed, the end).
 *
 * <p>Acknowledgement with several open files: a source acknowledges everything up to a position, so
 * the lane acknowledges only when no file is open, i.e. when its last open file has been committed
 * ({@link Checkpoint}). Used by its lane's thread only.
 *
 * <p>A {@link KeyedSource}: files are held per partition path and source key, named by the source;
 * a name the sink already holds (unpartitioned runs) is the source's to skip ({@link
 * KeyedSource#alreadyWritten}), otherwise the file takes the run's own name for it; a committed
 * file whose key has no other file open makes that key durable ({@link Checkpoint#keyDurable}); and
 * the source can finish the files of some keys from inside its reads ({@link #finishFiles}).
 */
final class PartitionFanOut {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionFanOut.class);

  /** Rows between measurements of a file's memory, and between memory checks (2^n). */
  private static final int MEMORY_CHECK_ROWS = 128;

  /** A memory roll of a file this small means the budget cannot hold the open files. */
  private static final long SMALL_FILE_ROWS = 1_000;

  private final RunContext run;
  private final Source source;
  private final int lane;
  private final int lanes;
  private final LaneStats stats;
  private final Partitioning.Router router;
  private final Batcher batcher;

  /** The source as a {@link KeyedSource}, or null. */
  private final KeyedSource keyed;

  /** The lane's open files, their sequences and the file the last row went to. */
  private final OpenFiles open;

  private int sinceMemoryCheck;

  PartitionFanOut(RunContext run, Source source, int lane, int lanes, LaneStats stats) {
    this.run = run;
    this.source = source;
    this.lane = lane;
    this.lanes = lanes;
    this.stats = stats;
    this.open = new OpenFiles(run);
    this.batcher = run.config.batcher();
    this.router =
        run.config.partitioning() == null
            ? null
            : run.config.partitioning().bind(run.schema, run.config.clock()::currentTimeMillis);
    this.keyed = source instanceof KeyedSource ? (KeyedSource) source : null;
    if (keyed != null) {
      keyed.bindFiles(this::finishFiles);
    }
  }

  /** Whether this lane writes one unpartitioned sequence (its first name is checked up front). */
  boolean unpartitioned() {
    return router == null && keyed == null;
  }

  String firstFileName() {
    return run.names.dataFile("", lane, lanes, 0);
  }

  boolean isEmpty() {
    return open.isEmpty();
  }

  /**
   * Writes a row to its partition's file, then rolls it if the batcher says so (given {@code now}),
   * and every {@value #MEMORY_CHECK_ROWS} rows measures the file and relieves memory if the budget
   * is exceeded. The time from {@code now} on is encoding time.
   */
  void write(Row row, long now) {
    RollingFile f = fileFor(row);
    if (f == null) {
      stats.rowsFiltered++;
      return;
    }
    f.write(row);
    stats.rowsWritten++;
    boolean roll = batcher.shouldRoll(f, RollReason.ROW, now);
    if ((f.rows & (MEMORY_CHECK_ROWS - 1)) == 0) {
      f.measure();
    }
    stats.encodeNanos += run.config.clock().nanoTime() - now;
    if (roll) {
      commit(f);
    }
    if (++sinceMemoryCheck >= MEMORY_CHECK_ROWS) {
      sinceMemoryCheck = 0;
      if (run.budget.overBudget()) {
        relieveMemory(run.config.clock().nanoTime());
      }
    }
  }

  /**
   * The open file for {@code row}'s partition (and key), opened if needed; null if the row is not
   * to be written: a {@link KeyedSource} found its file already written and moved past it.
   */
  RollingFile fileFor(Row row) {
    RollingFile f = open.current;
    if (keyed != null) {
      return keyedFileFor(row);
    }
    if (router == null) {
      if (f == null) {
        f = open.current = openFile("");
      }
      return f;
    }
    String partition = router.path(row);
    if (f == null || !f.partition.equals(partition)) {
      f = open.get(partition);
      if (f == null) {
        f = openFile(partition);
      }
      open.current = f;
    }
    return f;
  }

  private RollingFile keyedFileFor(Row row) {
    String partition = router == null ? "" : router.path(row);
    String key = Objects.requireNonNull(keyed.fileKey(), "fileKey");
    RollingFile f = open.current;
    if (f != null && f.key.equals(key) && f.partition.equals(partition)) {
      return f;
    }
    String slot = partition.isEmpty() ? key : partition + "\n" + key;
    f = open.get(slot);
    if (f == null) {
      String name = keyed.fileName(partition);
      if (run.config.sink().exists(name)) {
        if (router == null && keyed.alreadyWritten(name, run.config.sink())) {
          LOG.info("Skipping records already in {}", name);
          return null;
        }
        String own = run.names.dataFile(partition, lane, lanes, open.nextSequence(partition));
        LOG.info("{} exists: writing its records again, into {}", name, own);
        name = own;
      }
      f = openFile(slot, partition, key, name);
    }
    open.current = f;
    return f;
  }

  private RollingFile openFile(String partition) {
    long seq = open.nextSequence(partition);
    String name = run.names.dataFile(partition, lane, lanes, seq);
    run.names.refuseFirstOfPartition(name, seq, router != null || run.shared != null);
    return openFile(partition, partition, null, name);
  }

  private RollingFile openFile(String slot, String partition, String key, String name) {
    return open.open(slot, partition, key, name, source.position(), stats, this::evict);
  }

  /** Gives up the least recently written file for a slot: forced, so the batcher is told. */
  private void evict(RollingFile leastRecent) {
    batcher.onForcedRoll(leastRecent, RollReason.EVICTION, run.config.clock().nanoTime());
    commit(leastRecent);
  }

  /**
   * Commits one file; if it was the lane's last open one, runs the {@link Checkpoint}.
   *
   * @return true if no file is open any more (the lane's records are acknowledged)
   */
  boolean commit(RollingFile f) {
    Position last = f.key == null ? source.position() : keyed.lastPosition(f.key);
    CommittedFile committed = f.commit(last, run.aborted(), stats);
    open.remove(f);
    stats.files.add(committed.withoutColumns());
    stats.publishedFiles = stats.files.size();
    run.manifest.add(committed);
    if (f.key != null && run.mode.checkpointsCommitRejects() && !open.holdsKey(f.key)) {
      run.checkpoint.keyDurable(keyed, f.key);
    }
    if (!open.isEmpty()) {
      return false;
    }
    stats.unackedSinceNanos = -1;
    run.checkpoint.afterCommit(source, f.key == null ? last : source.position());
    return true;
  }

  /**
   * {@link KeyedSource.FileControl#finishFiles}: commits every open file of {@code keys} (the
   * batcher told {@link RollReason#END}: they are finished whatever it answers); one whose commit
   * fails is aborted and the first failure thrown at the end.
   */
  void finishFiles(Set<String> keys) {
    RuntimeException failure = null;
    for (RollingFile f : open.snapshot()) {
      if (f.key == null || !keys.contains(f.key)) {
        continue;
      }
      batcher.shouldRoll(f, RollReason.END, run.config.clock().nanoTime());
      try {
        commit(f);
      } catch (RuntimeException e) {
        open.remove(f);
        stats.rowsAborted += f.rows;
        f.abort(e);
        failure = Failures.chain(failure, e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * Time has passed: a checkpoint (every open file the batcher lets go committed, then, with none
   * left open, acknowledged) if {@code checkpointDue} (records have waited for their
   * acknowledgement too long) or if the batcher rolls any open file on {@link RollReason#TIMER}.
   * One file's age is a checkpoint for all, since the lane acknowledges only with no file open.
   */
  void onTimer(long now, boolean checkpointDue) {
    RollingFile aged = null;
    if (!checkpointDue) {
      for (RollingFile f : open.all()) {
        if (batcher.shouldRoll(f, RollReason.TIMER, now)) {
          aged = f;
          break;
        }
      }
      if (aged == null) {
        return;
      }
    }
    for (RollingFile f : open.snapshot()) {
      if (f == aged || batcher.shouldRoll(f, RollReason.CHECKPOINT, now)) {
        commit(f);
      }
    }
  }

  /**
   * The end of the input (or a stop): commits every open file, then acknowledges. The batcher is
   * told ({@link RollReason#END}, forced), not asked.
   */
  void commitAll(long now) {
    for (RollingFile f : open.snapshot()) {
      batcher.onForcedRoll(f, RollReason.END, now);
      commit(f);
    }
  }

  /**
   * The open files together hold more than the memory budget: commit this lane's largest files (by
   * their last measured bytes) until the total is back under 90 % of the budget or the lane has
   * nothing open. Each file is the batcher's to let go ({@link RollReason#MEMORY}); one it keeps is
   * passed over for the next largest. Other lanes do the same when they see the total over budget.
   */
  void relieveMemory(long now) {
    open.measureAll();
    Set<RollingFile> kept = null;
    while (!open.isEmpty() && !run.budget.underReliefFloor()) {
      RollingFile largest = open.largest(kept);
      if (largest == null) {
        return;
      }
      if (!batcher.shouldRoll(largest, RollReason.MEMORY, now)) {
        if (kept == null) {
          kept = new HashSet<>();
        }
        kept.add(largest);
        continue;
      }
      stats.memoryRolls++;
      run.config.counters().memoryRoll();
      if (largest.rows < SMALL_FILE_ROWS) {
        run.warnOnce(
            "small-files",
            "Memory budget {} bytes is too small for the open files: files are finished after {}"
                + " rows. Raise the memory budget (and the heap) or write fewer partitions at"
                + " once.",
            run.budget.budgetBytes(),
            largest.rows);
      }
      LOG.debug(
          "Memory budget {} exceeded: committing {} early ({} bytes buffered)",
          run.budget.budgetBytes(),
          largest.location(),
          largest.measuredBytes);
      commit(largest);
    }
  }

  /** Discards the open files past the stop deadline: nothing in them is acknowledged. */
  void abortPastDeadline() {
    for (RollingFile f : open.removeAll()) {
      stats.rowsWritten -= f.rows;
      stats.rowsAborted += f.rows;
      LOG.info(
          "Aborted {} ({} rows) past the stop deadline; its records are not acknowledged",
          f.location(),
          f.rows);
      f.abort(null);
    }
  }

  /**
   * Discards the open files after {@code failure}, adding any error of theirs to it. Their rows
   * count as aborted, no longer as written: written rows are those of committed files.
   */
  void abortAll(Throwable failure) {
    for (RollingFile f : open.removeAll()) {
      stats.rowsWritten -= f.rows;
      stats.rowsAborted += f.rows;
      f.abort(failure);
    }
  }
}
