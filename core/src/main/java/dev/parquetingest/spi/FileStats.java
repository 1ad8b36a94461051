package dev.parquetingest.spi;

/** What a {@link Batcher} knows about the file being written. A live view; not thread-safe. */
public interface FileStats {
  /** Rows written to the file so far. */
  long rows();

  /** Compressed bytes already handed to the sink's stream. */
  long bytesWritten();

  /** Bytes the encoder holds in memory that will still go into this file. */
  long bufferedBytes();

  /** {@link System#nanoTime()} when the file's first row was written. */
  long openedNanos();
}
