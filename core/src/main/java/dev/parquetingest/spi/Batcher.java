package dev.parquetingest.spi;

/**
 * The rolling policy: decides when the open file is complete. The runtime also rolls at the end
 * of the input and at shutdown, whatever the batcher says.
 *
 * <p>Two triggers, as in a streaming file sink: {@link #shouldRoll} on every row, and {@link
 * #shouldRollOnTimer} when time passes, which the runtime calls also while no row arrives (at
 * least every {@link dev.parquetingest.ParquetIngest#TIMER_INTERVAL} while a file is open). Called
 * from the thread that writes the file; implementations should be cheap, since {@link #shouldRoll}
 * runs after every row.
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
}
