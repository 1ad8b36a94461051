package dev.parquetingest.spi;

import dev.parquetingest.schema.Row;
import java.util.Map;

/**
 * Writes one Parquet file incrementally to a stream that the sink owns.
 *
 * <p>Lifecycle: {@link #write} any number of rows, then {@link #finish(Map)} to write what is
 * buffered and the footer, then {@link #close()} to release memory. {@code close()} without {@code
 * finish()} abandons the file (the sink will abort it). {@code close()} is idempotent. An encoder
 * MUST NOT close the stream it writes to. Not thread-safe: one thread per encoder.
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

  /**
   * Writes the remaining rows and the footer and flushes; the stream stays open. The footer's
   * key-value metadata holds the backend's own entries ({@code parquet-ingest.writer}) and every
   * entry of {@code keyValueMetadata}, which the runtime fills in for the file being finished;
   * where a key is in both, {@code keyValueMetadata} wins. A second call does nothing.
   *
   * <p>The runtime writes these keys into every data file (see {@link #SOURCE_KEY} and the other
   * constants): the source, the source positions of the file's first and last record in the form of
   * {@link Position#describe()} (the same strings as the run's manifest), and the run id. A tool
   * can so learn from a file alone which records it holds (a line range of a CSV file, an offset
   * range of a Kafka partition), e.g. to resume after a crash without the manifest. A backend
   * writes every entry unchanged and adds no {@code parquet-ingest.} key but its own {@code
   * parquet-ingest.writer}. The encoder contract suite in core's test-jar checks that a backend
   * writes them.
   *
   * @param keyValueMetadata entries to add to the footer; not retained after the call
   */
  void finish(Map<String, String> keyValueMetadata);

  /** {@link #finish(Map)} with no entries of the runtime's, for callers outside a run. */
  default void finish() {
    finish(Map.of());
  }

  /**
   * Footer key of the source a data file's records came from: {@link Source#name()} (for a CSV file
   * its path).
   */
  String SOURCE_KEY = "parquet-ingest.source";

  /**
   * Footer key of the source position of a data file's first record, as {@link Position#describe()}
   * gives it (e.g. {@code line 2}); the manifest's {@code firstPosition} of the file.
   */
  String FIRST_POSITION_KEY = "parquet-ingest.first-position";

  /**
   * Footer key of the source position of a data file's last record, as {@link Position#describe()}
   * gives it; the manifest's {@code lastPosition} of the file.
   */
  String LAST_POSITION_KEY = "parquet-ingest.last-position";

  /**
   * Footer key of the run that wrote a data file: the run id of a started pipeline (the one in its
   * file names), or for a batch run an id made the same way at its start (not in the names).
   */
  String RUN_ID_KEY = "parquet-ingest.run-id";

  /**
   * Footer key of the byte offset at which a data file's first record starts in its source ({@link
   * Position#offset()}), written when the source knows it (a CSV file). With {@link
   * #LAST_OFFSET_KEY} it gives the exact records the file holds, which {@code resume} reads.
   */
  String FIRST_OFFSET_KEY = "parquet-ingest.first-offset";

  /** Footer key of the byte offset at which a data file's last record starts in its source. */
  String LAST_OFFSET_KEY = "parquet-ingest.last-offset";

  /** Footer key of the line ({@link Position#line()}) at which a data file's last record starts. */
  String LAST_LINE_KEY = "parquet-ingest.last-line";

  /**
   * Statistics of every column of the finished file, one per top-level column in schema order:
   * value and null counts, minimum and maximum (see {@link ColumnStats} for the value classes and
   * when the bounds are null). Valid after {@link #finish(Map)} has returned, also once the encoder
   * is closed; an encoder may throw {@link IllegalStateException} if called earlier. The default,
   * for a backend that does not know them, is an empty list.
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
