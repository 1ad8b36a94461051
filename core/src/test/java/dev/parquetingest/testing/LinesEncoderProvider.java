package dev.parquetingest.testing;

import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.spi.EncoderProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A hand-written fake backend for runtime tests: each row becomes a text line holding its first
 * column (an int64), so a test reads back exactly which records a file holds. It reports the bytes
 * it wrote, and as buffered memory a fixed number of bytes per row (none by default), so a test can
 * exceed a small memory budget. Immutable.
 */
public final class LinesEncoderProvider implements EncoderProvider {
  private final long bufferedBytesPerRow;

  /** Lines that buffer nothing. */
  public LinesEncoderProvider() {
    this(0);
  }

  /** Lines whose open file reports {@code bufferedBytesPerRow} bytes of memory per row. */
  public LinesEncoderProvider(long bufferedBytesPerRow) {
    this.bufferedBytesPerRow = bufferedBytesPerRow;
  }

  @Override
  public String name() {
    return "lines";
  }

  @Override
  public Encoder open(Schema schema, OutputStream out, EncoderOptions options) {
    return new Encoder() {
      long rows;
      long bytes;

      @Override
      public void write(Row row) {
        byte[] line = (row.getLong(0) + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
          out.write(line);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        rows++;
        bytes += line.length;
      }

      @Override
      public long rowCount() {
        return rows;
      }

      @Override
      public long bytesWritten() {
        return bytes;
      }

      @Override
      public long bufferedBytes() {
        return rows * bufferedBytesPerRow;
      }

      @Override
      public void finish(java.util.Map<String, String> keyValueMetadata) {
        try {
          out.flush();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public void close() {}
    };
  }
}
