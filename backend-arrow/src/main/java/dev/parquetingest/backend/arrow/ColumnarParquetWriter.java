package dev.parquetingest.backend.arrow;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.parquet.FooterColumnStats;
import dev.parquetingest.parquet.ParquetFileOutput;
import dev.parquetingest.parquet.ParquetSchemas;
import dev.parquetingest.parquet.RowGroupSizeCheck;
import dev.parquetingest.parquet.ZstdCodecFactory;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.Field;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.ColumnStats;
import dev.parquetingest.spi.EncoderOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.schema.MessageType;

/**
 * One Parquet file written column by column from chunks of Arrow vectors: file → row group → column
 * ({@link ColumnChunkWriter}) → values and levels. Our code does everything done per value:
 * definition levels, dictionaries, plain values, statistics. parquet-java does what is done per
 * page and per file: the page store of the open row group ({@link ColumnChunkPageWriteStore}: ZSTD
 * through the shared {@link ZstdCodecFactory}, Thrift page headers, CRC, column and offset indexes,
 * compressed pages buffered until the row group ends), and the {@link ParquetFileWriter} (row
 * groups, footer with the schema of {@link ParquetSchemas}, {@code created_by} and key-value
 * metadata). Row groups end by parquet-java's rule ({@link RowGroupSizeCheck}), pages at its
 * limits, dictionaries fall back by its rule: the file holds the same rows, statistics and
 * encodings as the parquet-mr backend's, in pages of about the same size.
 *
 * <p>Lifecycle: {@link #write} chunks, {@link #finish(Map)} (last row group and footer), {@link
 * #close()} (idempotent; without {@code finish()} abandons the file). The stream is never closed.
 * Not thread-safe.
 */
final class ColumnarParquetWriter implements AutoCloseable {
  private final ParquetFileOutput output;
  private final MessageType messageType;
  private final List<ColumnDescriptor> descriptors;
  private final ParquetProperties props;
  private final ParquetFileWriter fileWriter;
  private final RowGroupSizeCheck rule;

  /** The pool key of this file's column writers: schema and page settings. */
  private final String layout;

  /** The column writers; empty once they have gone back to the {@link WriterPool}. */
  private ColumnChunkWriter[] columns;

  /** Where every column assembles its pages, one at a time. */
  private final ByteBuilder pageBuffer;

  /** The page store's buffers of compressed pages, reused row group after row group. */
  private final PageSlabs slabs;

  private ColumnChunkPageWriteStore pageStore;
  private int rowGroupOrdinal;
  private long rowsInGroup;
  private long rows;

  /**
   * Starts a file: writes the magic bytes and opens the first row group.
   *
   * @throws IngestException if the stream fails
   */
  ColumnarParquetWriter(
      Schema schema, OutputStream out, EncoderOptions options, String description) {
    this.output = new ParquetFileOutput(schema, out, options, description);
    this.messageType = output.messageType();
    this.descriptors = messageType.getColumns();
    this.props = output.props();
    this.fileWriter = output.fileWriter();
    this.rule = new RowGroupSizeCheck(options.rowGroupSize().toBytes(), props);
    this.layout = layout(messageType, props, options.dictionaryEnabled());
    WriterPool.Parts reused = WriterPool.take(layout);
    if (reused != null) {
      this.columns = reused.columns;
      this.pageBuffer = reused.pageBuffer;
      this.slabs = reused.slabs;
    } else {
      this.columns = new ColumnChunkWriter[descriptors.size()];
      for (int i = 0; i < columns.length; i++) {
        columns[i] =
            columnWriter(schema.field(i), descriptors.get(i), props, options.dictionaryEnabled());
      }
      this.pageBuffer = new ByteBuilder(1024);
      this.slabs = new PageSlabs();
    }
    openRowGroup();
  }

  /**
   * What decides which column writers a file gets: the Parquet schema, the page settings and
   * whether dictionaries are enabled. Files of one layout can reuse each other's writers.
   */
  static String layout(MessageType messageType, ParquetProperties props, boolean dictionary) {
    StringBuilder sizes = new StringBuilder();
    for (ColumnDescriptor d : messageType.getColumns()) {
      sizes.append(props.getSizeStatisticsEnabled(d) ? '1' : '0');
    }
    return messageType
        + "|page="
        + props.getPageSizeThreshold()
        + "|rows="
        + props.getPageRowCountLimit()
        + "|dictionary="
        + (dictionary ? props.getDictionaryPageSizeThreshold() : -1)
        + "|sizes="
        + sizes;
  }

  /** The writer of one column of {@code field}'s type. */
  static ColumnChunkWriter columnWriter(
      Field field, ColumnDescriptor descriptor, ParquetProperties props, boolean dictionary) {
    ColumnType t = field.type();
    switch (t.kind()) {
      case BOOLEAN:
        return new BooleanColumnWriter(descriptor, props);
      case INT32:
      case DATE:
      case FLOAT:
        return new FixedWidthColumnWriter(
            descriptor, props, dictionary, FixedWidthColumnWriter.Source.FIXED4);
      case INT64:
      case TIMESTAMP_MILLIS:
      case TIMESTAMP_MICROS:
      case DOUBLE:
        return new FixedWidthColumnWriter(
            descriptor, props, dictionary, FixedWidthColumnWriter.Source.FIXED8);
      case STRING:
      case BINARY:
        return new BytesColumnWriter(descriptor, props, dictionary);
      case DECIMAL:
        if (t.precision() <= 9) {
          return new FixedWidthColumnWriter(
              descriptor, props, dictionary, FixedWidthColumnWriter.Source.DECIMAL_AS_INT);
        }
        if (t.precision() <= ColumnType.MAX_LONG_DECIMAL_PRECISION) {
          return new FixedWidthColumnWriter(
              descriptor, props, dictionary, FixedWidthColumnWriter.Source.DECIMAL_AS_LONG);
        }
        return new BytesColumnWriter(descriptor, props, dictionary);
      default:
        throw new AssertionError(t);
    }
  }

  /**
   * Encodes a chunk of {@code n} rows, one vector per column in schema order. The chunk is split at
   * the row-group rule's check points; a full row group is written out before the rest.
   */
  void write(ChunkColumn[] chunk, int n) {
    for (int c = 0; c < columns.length; c++) {
      columns[c].load(chunk[c].vector, n);
    }
    int from = 0;
    while (from < n) {
      int to = (int) Math.min(n, from + rule.rowsUntilCheck(rowsInGroup));
      for (ColumnChunkWriter column : columns) {
        column.write(from, to);
      }
      rowsInGroup += to - from;
      rows += to - from;
      from = to;
      if (rule.isFull(rowsInGroup, bufferedBytes())) {
        flushRowGroup();
        openRowGroup();
      }
    }
  }

  long rowCount() {
    return rows;
  }

  long bytesWritten() {
    return output.position();
  }

  /** The open row group's bytes as parquet-java counts them (compressed pages plus open pages). */
  long bufferedBytes() {
    long total = 0;
    for (ColumnChunkWriter c : columns) {
      total += c.bufferedBytes();
    }
    return total;
  }

  /**
   * The size the file would have if finished now: bytes written, compressed pages held, each open
   * page at its column's compression ratio so far, and the dictionaries at their plain size.
   */
  long estimatedSize() {
    long total = output.position();
    for (ColumnChunkWriter c : columns) {
      total += c.estimatedBytes();
    }
    return total;
  }

  /**
   * Heap held: every column's buffers, dictionaries and compressed pages (the bytes of the page
   * slabs in use), the page buffer, and the codec's; 0 after {@link #close()}.
   */
  long memoryBytes() {
    if (output.closed()) {
      return 0;
    }
    long total = output.codecBytes() + pageBuffer.capacity();
    for (ColumnChunkWriter c : columns) {
      total += c.memoryBytes();
    }
    return total;
  }

  /**
   * Writes the open row group and the footer, and flushes the stream (which stays open).
   *
   * @param keyValueMetadata the runtime's footer entries, added to the writer's own
   * @throws IngestException if the stream fails
   */
  void finish(Map<String, String> keyValueMetadata) {
    if (output.beginFinish()) {
      flushRowGroup();
      output.writeFooter(keyValueMetadata);
    }
  }

  /**
   * Statistics of every column of the finished file, from the footer's column-chunk statistics
   * ({@link FooterColumnStats}, as for the parquet-mr backend). Valid after {@link #close()}.
   *
   * @throws IllegalStateException if {@link #finish(Map)} has not written the footer
   */
  List<ColumnStats> columnStats() {
    return output.columnStats();
  }

  /** Releases the open row group's pages and the codec. Idempotent. */
  @Override
  public void close() {
    if (output.close(this::releaseRowGroup) && output.footerWritten()) {
      // every column chunk was finished: the writers are empty and can serve the next file
      ColumnChunkWriter[] done = columns;
      columns = new ColumnChunkWriter[0];
      WriterPool.give(layout, new WriterPool.Parts(done, pageBuffer, slabs));
    }
  }

  private void openRowGroup() {
    pageStore = output.newPageStore(rowGroupOrdinal, slabs);
    for (int i = 0; i < columns.length; i++) {
      columns[i].startChunk(pageStore.getPageWriter(descriptors.get(i)), pageBuffer);
    }
  }

  private void flushRowGroup() {
    try {
      if (rowsInGroup > 0) {
        for (ColumnChunkWriter c : columns) {
          c.finishChunk();
        }
        rowGroupOrdinal++;
        fileWriter.startBlock(rowsInGroup);
        pageStore.flushToFileWriter(fileWriter);
        fileWriter.endBlock();
        rule.flushed(fileWriter.getNextRowGroupSize(), rowsInGroup);
        rowsInGroup = 0;
      }
    } catch (IOException e) {
      throw output.rowGroupFailure(rowGroupOrdinal, e);
    } finally {
      releaseRowGroup();
    }
  }

  private void releaseRowGroup() {
    if (pageStore != null) {
      try {
        pageStore.close();
      } finally {
        pageStore = null;
        slabs.reset();
      }
    }
  }
}
