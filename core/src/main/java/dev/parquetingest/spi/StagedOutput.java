package dev.parquetingest.spi;

import java.io.OutputStream;

/**
 * One file being written to a {@link Sink}: invisible to readers until {@link #commit()}, gone
 * without trace after {@link #abort()}. Not thread-safe.
 */
public interface StagedOutput {
  /** The stream to write the file's bytes to; owned by this object, not to be closed by callers. */
  OutputStream stream();

  /**
   * Heap bytes this output holds for the file (write buffers, parts not yet uploaded), for the
   * runtime's memory budget; cheap and callable from the writing thread at any time. Default 0.
   */
  default long bufferedBytes() {
    return 0;
  }

  /** Where the file will be visible, e.g. a path or {@code s3://bucket/key}. */
  String location();

  /**
   * Makes the file visible, complete, atomically, and durable.
   *
   * @throws dev.parquetingest.common.IngestException if it cannot; then nothing is visible and the
   *     caller should {@link #abort()}
   */
  void commit();

  /** Removes every trace of the file. Idempotent; a no-op after a successful commit. */
  void abort();
}
