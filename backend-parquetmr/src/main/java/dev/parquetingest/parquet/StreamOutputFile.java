package dev.parquetingest.parquet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.apache.parquet.hadoop.ParquetFileWriter;
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

  /**
   * Ends the file as {@link ParquetFileWriter#end(Map)} does (column and offset indexes, footer),
   * but with {@code createdBy} in the footer in place of parquet-java's own version string, which
   * {@code ParquetFileWriter} offers no way to set. What {@code end} writes is held back, its
   * footer rewritten by {@link Footers#withCreatedBy}, then written: the indexes before the footer
   * keep their offsets.
   *
   * @throws IOException as {@code end} or the stream threw it
   */
  public void end(ParquetFileWriter writer, Map<String, String> keyValueMetadata, String createdBy)
      throws IOException {
    if (stream == null) {
      throw new IllegalStateException("Cannot end " + description + ": it was never created");
    }
    ByteArrayOutputStream tail = new ByteArrayOutputStream();
    long start = stream.position;
    stream.capture = tail;
    try {
      writer.end(keyValueMetadata);
    } finally {
      stream.capture = null;
    }
    byte[] rewritten = Footers.withCreatedBy(tail.toByteArray(), createdBy, description);
    stream.position = start;
    stream.write(rewritten, 0, rewritten.length);
    stream.flush();
  }

  private static final class CountingStream extends PositionOutputStream {
    private final OutputStream out;
    private long position;

    /** While set, bytes go here instead of to the sink's stream (see {@link #end}). */
    private ByteArrayOutputStream capture;

    CountingStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public long getPos() {
      return position;
    }

    @Override
    public void write(int b) throws IOException {
      if (capture != null) {
        capture.write(b);
      } else {
        out.write(b);
      }
      position++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (capture != null) {
        capture.write(b, off, len);
      } else {
        out.write(b, off, len);
      }
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
