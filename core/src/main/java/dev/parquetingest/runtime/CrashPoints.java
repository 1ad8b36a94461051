package dev.parquetingest.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named points of a run where the crash tests kill the process: with the system property {@code
 * parquet-ingest.test.pause.<point>} set to a number of milliseconds, the run logs a warning naming
 * the point and sleeps there, so that a test can send {@code SIGKILL} at exactly that moment. Unset
 * (always, outside those tests) it does nothing. Stateless, thread-safe.
 */
final class CrashPoints {
  private static final Logger LOG = LoggerFactory.getLogger(CrashPoints.class);

  /** Before the batch manifest is committed: every data file is committed, the manifest staged. */
  static final String BEFORE_MANIFEST_COMMIT = "before-manifest-commit";

  /**
   * After a data file is committed, in the worker that committed it (before its next record): with
   * several workers, each stops there after its first file, with its later records read by none.
   */
  static final String AFTER_DATA_COMMIT = "after-data-commit";

  private CrashPoints() {}

  static void pause(String point) {
    long millis = Long.getLong("parquet-ingest.test.pause." + point, 0);
    if (millis <= 0) {
      return;
    }
    LOG.warn("Pausing {} ms at crash point {}", millis, point);
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
