package dev.parquetingest.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting on a condition with a liveness bound; no test asserts speed with it. */
public final class Await {
  private Await() {}

  /**
   * Returns once {@code condition} holds, looking every few milliseconds.
   *
   * @throws AssertionError if it does not hold within {@code patience}, or on interrupt
   */
  public static void until(Duration patience, BooleanSupplier condition) {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("condition not reached within " + patience);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
