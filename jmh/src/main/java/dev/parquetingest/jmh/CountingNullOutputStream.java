package dev.parquetingest.jmh;

import java.io.OutputStream;

/**
 * Discards what is written and counts the bytes, so that a benchmark measures encoding and not a
 * disk or a copy into memory. {@link #close()} does nothing, so the stream can be used for any
 * number of files. Not thread-safe.
 */
final class CountingNullOutputStream extends OutputStream {
  private long count;

  @Override
  public void write(int b) {
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    count += len;
  }

  /** Does nothing: there is nothing to release. */
  @Override
  public void close() {}

  /** Bytes written since this stream was created. */
  long count() {
    return count;
  }
}
