package dev.parquetingest.internal;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Counts the bytes and the time spent writing to a sink's stream, so that the report can split
 * encoding time from sink time. Does not close the wrapped stream. Not thread-safe.
 */
public final class MeteredOutputStream extends OutputStream {
  private final OutputStream out;
  private long bytes;
  private long nanos;

  public MeteredOutputStream(OutputStream out) {
    this.out = out;
  }

  @Override
  public void write(int b) throws IOException {
    long t = System.nanoTime();
    out.write(b);
    bytes++;
    nanos += System.nanoTime() - t;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    long t = System.nanoTime();
    out.write(b, off, len);
    bytes += len;
    nanos += System.nanoTime() - t;
  }

  @Override
  public void flush() throws IOException {
    long t = System.nanoTime();
    out.flush();
    nanos += System.nanoTime() - t;
  }

  /** Leaves the wrapped stream open: it belongs to the sink. */
  @Override
  public void close() throws IOException {
    flush();
  }

  public long bytes() {
    return bytes;
  }

  public long nanos() {
    return nanos;
  }
}
