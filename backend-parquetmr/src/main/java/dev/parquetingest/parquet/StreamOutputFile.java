package dev.parquetingest.parquet;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A Parquet {@link OutputFile} over a stream that belongs to someone else (a sink): it counts the
 * position and never closes the stream. Usable once; not thread-safe.
 */
public final class StreamOutputFile implements OutputFile {
  private final OutputStream out;
  private final String description;
  private CountingStream stream;

  public StreamOutputFile(OutputStream out, String description) {
    this.out = out;
    this.description = description;
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) {
    if (stream != null) {
      throw new IllegalStateException("Cannot create " + description + " twice");
    }
    stream = new CountingStream(out);
    return stream;
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) {
    return create(blockSizeHint);
  }

  @Override
  public boolean supportsBlockSize() {
    return false;
  }

  @Override
  public long defaultBlockSize() {
    return 0;
  }

  @Override
  public String getPath() {
    return description;
  }

  /** Bytes written so far. */
  public long position() {
    return stream == null ? 0 : stream.position;
  }

  private static final class CountingStream extends PositionOutputStream {
    private final OutputStream out;
    private long position;

    CountingStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public long getPos() {
      return position;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      position++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      position += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    /** Flushes only: the stream belongs to the sink. */
    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
