package dev.parquetingest.spi;

/**
 * The rolling policy: decides when the open file is complete. The runtime also rolls at the end
 * of the input and at shutdown, when the memory budget or the open-file limit needs room, and at
 * checkpoints, whatever the batcher says.
 *
 * <p>Two triggers, as in a streaming file sink: {@link #shouldRoll(FileStats, long)} on every
 * row, and {@link #shouldRollOnTimer(FileStats, long)} when time passes, which the runtime calls
 * also while no row arrives (at least every {@link dev.parquetingest.ParquetIngest#TIMER_INTERVAL}
 * while a file is open). Both are given the current time of the runtime's clock, the clock of
 * {@link FileStats#openedNanos()}; the default forms without it call the one-argument methods, so
 * a batcher written against those keeps working. Called from the thread that writes the file;
 * implementations should be cheap, since {@code shouldRoll} runs after every row.
 */
public interface Batcher {
  /** Called after each row is written; true to finish the file now. */
  boolean shouldRoll(FileStats file);

  /**
   * Called as time passes, with or without new rows; true to finish the file now (for a roll on
   * age). The default never rolls.
   */
  default boolean shouldRollOnTimer(FileStats file) {
    return false;
  }

  /**
   * What the runtime calls after each row, with its clock's time ({@code nanoTime}); the default
   * calls {@link #shouldRoll(FileStats)}.
   */
  default boolean shouldRoll(FileStats file, long nowNanos) {
    return shouldRoll(file);
  }

  /**
   * What the runtime calls as time passes, with its clock's time; the default calls {@link
   * #shouldRollOnTimer(FileStats)}.
   */
  default boolean shouldRollOnTimer(FileStats file, long nowNanos) {
    return shouldRollOnTimer(file);
  }
}
