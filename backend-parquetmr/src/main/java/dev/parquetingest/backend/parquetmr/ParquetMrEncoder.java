package dev.parquetingest.backend.parquetmr;

import dev.parquetingest.parquet.ColumnarFileWriter;
import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.ColumnStats;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.EncoderOptions;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * One Parquet file written row by row through parquet-java's record writer ({@code MessageColumnIO}
 * over the shared {@link ColumnarFileWriter}): the row-at-a-time path that parquet-java's {@code
 * ParquetWriter} takes, with the same page, row-group and footer output. Buffers one row group in
 * memory. Not thread-safe; lifecycle as in {@link Encoder}.
 */
final class ParquetMrEncoder implements Encoder {
  private final ColumnarFileWriter writer;
  private final RowRecordWriter rows;
  private boolean finished;
  private boolean closed;

  ParquetMrEncoder(Schema schema, OutputStream out, EncoderOptions options) {
    this.writer = new ColumnarFileWriter(schema, out, options, "parquet-mr output");
    this.rows = new RowRecordWriter(schema, writer.recordConsumer());
  }

  @Override
  public void write(Row row) {
    if (finished || closed) {
      throw new IllegalStateException("Cannot write a row: the file is already finished or closed");
    }
    rows.write(row);
  }

  @Override
  public long rowCount() {
    return writer.rowCount();
  }

  @Override
  public long bytesWritten() {
    return writer.bytesWritten();
  }

  @Override
  public long bufferedBytes() {
    return writer.bufferedBytes();
  }

  @Override
  public long memoryBytes() {
    return writer.memoryBytes();
  }

  @Override
  public long estimatedFileSize() {
    return writer.estimatedSize();
  }

  @Override
  public void finish(Map<String, String> keyValueMetadata) {
    if (finished) {
      return;
    }
    finished = true;
    writer.finish(keyValueMetadata);
  }

  /** From the footer's column-chunk statistics: {@link ColumnarFileWriter#columnStats()}. */
  @Override
  public List<ColumnStats> columnStats() {
    return writer.columnStats();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    writer.close();
  }
}
