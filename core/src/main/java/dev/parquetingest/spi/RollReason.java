package dev.parquetingest.spi;

/**
 * Why the runtime asks a {@link Batcher} whether to finish an open file: every roll passes through
 * {@link Batcher#shouldRoll(FileStats, RollReason, long)} with one of these, so the batcher sees
 * (and, where the runtime can keep the file open, decides) every reason.
 */
public enum RollReason {
  /** A row was just written to the file (rolls on rows, size, age). */
  ROW,
  /** Time has passed, with or without new rows (rolls on age). */
  TIMER,
  /**
   * The run's open files hold more than its memory budget (while relieving: more than 90 % of it);
   * the file is the lane's largest. A false answer keeps it open, and the runtime asks about the
   * next largest.
   */
  MEMORY,
  /**
   * A checkpoint is due: another file of the lane rolled on age, or (streaming) records have waited
   * for their acknowledgement longer than the idle acknowledgement age. The lane acknowledges only
   * once every open file is finished; a false answer keeps the file open and defers the
   * acknowledgement to a later checkpoint.
   */
  CHECKPOINT,
  /**
   * A file must be opened and the run is at {@code maxOpenFiles}; the file is the lane's least
   * recently written. The runtime finishes it whatever the answer: the slot is needed, and a lane
   * that kept all its files would wait forever for one.
   */
  EVICTION,
  /**
   * The input ended, or the pipeline is stopping. The runtime finishes the file whatever the
   * answer: nothing else would commit it.
   */
  END
}
