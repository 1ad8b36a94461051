package dev.parquetingest.spi;

/**
 * Why the runtime finishes an open file. Every roll passes through the {@link Batcher} with one of
 * these, so the batcher sees every reason: {@link #ROW}, {@link #TIMER}, {@link #MEMORY} and {@link
 * #CHECKPOINT} are questions ({@link Batcher#shouldRoll(FileStats, RollReason, long)}, whose answer
 * the runtime obeys); {@link #EVICTION} and {@link #END} are {@link #isForced() forced} and only
 * told ({@link Batcher#onForcedRoll(FileStats, RollReason, long)}).
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
   * recently written. Forced, not asked: the slot is needed, and a lane that kept all its files
   * would wait forever for one.
   */
  EVICTION,
  /**
   * The input ended, or the pipeline is stopping. Forced, not asked: nothing else would commit the
   * file.
   */
  END;

  /**
   * True for the reasons a batcher cannot refuse ({@link #EVICTION}, {@link #END}): the runtime
   * tells the batcher through {@link Batcher#onForcedRoll} and finishes the file. False for the
   * questions, asked through {@link Batcher#shouldRoll(FileStats, RollReason, long)}.
   */
  public boolean isForced() {
    return this == EVICTION || this == END;
  }
}
