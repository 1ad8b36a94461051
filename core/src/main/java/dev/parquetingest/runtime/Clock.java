package dev.parquetingest.runtime;

/**
 * The runtime's one source of time: file ages, idle acknowledgement, timers, stage times, progress
 * and autoscaling all read it, so a test can run them on a fake clock. Thread-safe.
 */
public interface Clock {
  /** The system's clocks. */
  Clock SYSTEM =
      new Clock() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
          return System.currentTimeMillis();
        }
      };

  /** A monotonic time in nanoseconds, as {@link System#nanoTime()}. */
  long nanoTime();

  /** The wall-clock time in milliseconds since the epoch, for arrival-time partitions. */
  long currentTimeMillis();
}
