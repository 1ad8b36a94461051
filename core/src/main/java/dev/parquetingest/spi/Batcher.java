package dev.parquetingest.spi;

/**
 * The rolling policy: decides when an open file is complete. Of the reasons to finish a file
 * ({@link RollReason}), four are questions and two are facts:
 *
 * <ul>
 *   <li>{@link RollReason#ROW}, {@link RollReason#TIMER}, {@link RollReason#MEMORY} and {@link
 *       RollReason#CHECKPOINT} are asked through {@link #shouldRoll(FileStats, RollReason, long)},
 *       and the runtime obeys the answer: false keeps the file open (see each reason for what
 *       happens then);
 *   <li>{@link RollReason#EVICTION} and {@link RollReason#END} cannot be refused (a slot is needed;
 *       nothing else would commit the file), so they are not asked: the batcher is told through
 *       {@link #onForcedRoll(FileStats, RollReason, long)} just before the file is finished.
 * </ul>
 *
 * <p>{@link RollReason#isForced()} tells the two kinds apart. The default of the question answers
 * {@link RollReason#ROW} and {@link RollReason#TIMER} with the two triggers below and rolls for the
 * others, as the runtime always did.
 *
 * <p>Two triggers, as in a streaming file sink: {@link #shouldRoll(FileStats, long)} on every row,
 * and {@link #shouldRollOnTimer(FileStats, long)} when time passes, which the runtime calls also
 * while no row arrives (at least every {@link dev.parquetingest.ParquetIngest#TIMER_INTERVAL} while
 * a file is open). Both are given the current time of the runtime's clock, the clock of {@link
 * FileStats#openedNanos()}; the default forms without it call the one-argument methods, so a
 * batcher written against those keeps working. Called from the thread that writes the file;
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

  /**
   * Whether to finish {@code file} now for {@code reason}, at the runtime clock's time {@code
   * nowNanos}. The runtime asks only this method, and only for reasons that are not {@link
   * RollReason#isForced() forced}; it obeys a false answer. The default calls {@link
   * #shouldRoll(FileStats, long)} for {@link RollReason#ROW}, {@link #shouldRollOnTimer(FileStats,
   * long)} for {@link RollReason#TIMER} and answers true for the others (see {@link RollReason} for
   * what a false answer does), so a batcher written against the older methods keeps its behaviour.
   */
  default boolean shouldRoll(FileStats file, RollReason reason, long nowNanos) {
    switch (reason) {
      case ROW:
        return shouldRoll(file, nowNanos);
      case TIMER:
        return shouldRollOnTimer(file, nowNanos);
      default:
        return true;
    }
  }

  /**
   * Told that {@code file} is being finished now for a {@link RollReason#isForced() forced} reason
   * ({@link RollReason#EVICTION} or {@link RollReason#END}), at the runtime clock's time {@code
   * nowNanos}, before the file is finished: there is nothing to decide, only to note (for example
   * to reset per-file state). Called from the thread that writes the file. The default does
   * nothing.
   */
  default void onForcedRoll(FileStats file, RollReason reason, long nowNanos) {}
}
