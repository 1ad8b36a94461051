package dev.parquetingest.spi;

/** What a {@link Batcher} knows about the file being written. A live view; not thread-safe. */
public interface FileStats {
  /** Rows written to the file so far. */
  long rows();

  /** Compressed bytes already handed to the sink's stream. */
  long bytesWritten();

  /** Bytes the encoder holds in memory that will still go into this file. */
  long bufferedBytes();

  /**
   * The size the file would have if finished now ({@link
   * dev.parquetingest.spi.Encoder#estimatedFileSize()}); the default is {@link #bytesWritten()} +
   * {@link #bufferedBytes()}. Not for every row: it may walk the encoder's buffers.
   */
  default long estimatedBytes() {
    return bytesWritten() + bufferedBytes();
  }

  /**
   * The runtime clock's {@code nanoTime} (by default {@link System#nanoTime()}) when the file was
   * opened.
   */
  long openedNanos();
}
