package dev.parquetingest.spi;

import dev.parquetingest.schema.Row;

/**
 * Writes one Parquet file incrementally to a stream that the sink owns.
 *
 * <p>Lifecycle: {@link #write} any number of rows, then {@link #finish()} to write what is buffered
 * and the footer, then {@link #close()} to release memory. {@code close()} without {@code finish()}
 * abandons the file (the sink will abort it). {@code close()} is idempotent. An encoder MUST NOT
 * close the stream it writes to. Not thread-safe: one thread per encoder.
 */
public interface Encoder extends AutoCloseable {
  /** Appends one row; the row may be reused by the caller after this returns. */
  void write(Row row);

  /** Rows written so far. */
  long rowCount();

  /** Bytes handed to the stream so far. */
  long bytesWritten();

  /** Bytes held in memory that will still go into the file (an estimate, cheap to call). */
  long bufferedBytes();

  /**
   * Heap bytes this encoder holds now, for the runtime's memory budget: buffered values plus the
   * fixed cost of its buffers and dictionaries (allocated capacity, not only bytes used). The
   * default is {@link #bufferedBytes()}. Called every few hundred rows; may walk the columns.
   */
  default long memoryBytes() {
    return bufferedBytes();
  }

  /**
   * The size the file would have if finished now: what rolling on size compares with the target.
   * The default, {@link #bytesWritten()} + {@link #bufferedBytes()}, is an upper bound; a backend
   * that knows how its buffered bytes will compress gives a closer estimate. May walk the encoder's
   * buffers: called every few rows, not for every row.
   */
  default long estimatedFileSize() {
    return bytesWritten() + bufferedBytes();
  }

  /** Writes the remaining rows and the footer and flushes; the stream stays open. */
  void finish();

  /**
   * Statistics of every column of the finished file, one per top-level column in schema order:
   * value and null counts, minimum and maximum (see {@link ColumnStats} for the value classes and
   * when the bounds are null). Valid after {@link #finish()} has returned, also once the encoder is
   * closed; an encoder may throw {@link IllegalStateException} if called earlier. The default, for
   * a backend that does not know them, is an empty list.
   */
  default java.util.List<ColumnStats> columnStats() {
    return java.util.List.of();
  }

  /** Backend facts for the run report, e.g. the allocator in use. */
  default java.util.Map<String, String> details() {
    return java.util.Map.of();
  }

  @Override
  void close();
}
