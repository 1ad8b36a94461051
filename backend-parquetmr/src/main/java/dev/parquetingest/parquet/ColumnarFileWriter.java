package dev.parquetingest.parquet;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.ColumnStats;
import dev.parquetingest.spi.EncoderOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * One Parquet file written through parquet-java's column writers: the file → row group → column
 * machinery that every backend shares, so that the same rows give the same bytes whichever backend
 * produced them. It owns the {@link ParquetFileWriter}, the page store and the column store of the
 * open row group, the {@link ZstdCodecFactory}, the {@link ParquetProperties} from {@link
 * WriterProperties}, the schema from {@link ParquetSchemas}, and the row-group rule ({@link
 * RowGroupSizeCheck}, parquet-java's own).
 *
 * <p>Rows go in one of two ways, not mixed within a file:
 *
 * <ul>
 *   <li>column by column: write each column's value of a row to {@link #columns()}{@code [i]}
 *       ({@code write(value, 0, maxDefinitionLevel)} or {@code writeNull(0, 0)}), then call {@link
 *       #endRecord()};
 *   <li>as records: {@link #recordConsumer()}, whose {@code endMessage()} ends the row.
 * </ul>
 *
 * <p>When a row ends, the row group may be flushed to the stream and a new one started: the writers
 * in {@link #columns()} are then replaced in place, so read the array element for each value rather
 * than keeping a writer.
 *
 * <p>Lifecycle: rows, then {@link #finish(Map)} (last row group and footer), then {@link #close()}
 * to release buffers; {@code close()} without {@code finish()} abandons the file. {@code close()}
 * is idempotent. The stream is never closed. Failures of the stream surface as {@link
 * IngestException}. Not thread-safe.
 */
public final class ColumnarFileWriter implements AutoCloseable {
  /** Heap an open file holds per column besides its buffers; see {@link #memoryBytes()}. */
  static final int FIXED_BYTES_PER_COLUMN = 4 * 1024;

  private final ParquetFileOutput output;
  private final MessageType messageType;
  private final List<ColumnDescriptor> descriptors;
  private final ParquetProperties props;
  private final ParquetFileWriter fileWriter;
  private final RowGroupSizeCheck sizeCheck;
  private final ColumnWriter[] columns;

  /** Per column: compressed bytes per buffered byte, learned from the pages written so far. */
  private final double[] pendingRatio;

  private final long[] lastPaged;
  private final long[] lastPending;
  private MessageColumnIO columnIO;
  private RecordConsumer recordWriter;
  private ColumnChunkPageWriteStore pageStore;
  private ColumnWriteStore columnStore;
  private int rowGroupOrdinal;
  private long rowsInGroup;
  private long rows;

  /**
   * Starts a file: writes the magic bytes and opens the first row group.
   *
   * @param description names the output in messages, e.g. {@code arrow output}
   * @throws IngestException if the stream fails
   */
  public ColumnarFileWriter(
      Schema schema, OutputStream out, EncoderOptions options, String description) {
    this.output = new ParquetFileOutput(schema, out, options, description);
    this.messageType = output.messageType();
    this.descriptors = messageType.getColumns();
    this.props = output.props();
    this.fileWriter = output.fileWriter();
    this.sizeCheck = new RowGroupSizeCheck(options.rowGroupSize().toBytes(), props);
    this.columns = new ColumnWriter[descriptors.size()];
    this.pendingRatio = new double[descriptors.size()];
    java.util.Arrays.fill(pendingRatio, 1.0);
    this.lastPaged = new long[descriptors.size()];
    this.lastPending = new long[descriptors.size()];
    openRowGroup();
  }

  /** The Parquet schema of the file. */
  public MessageType messageType() {
    return messageType;
  }

  /**
   * The writers of the open row group, one per column in schema order. The array is updated in
   * place when a row group is flushed.
   */
  public ColumnWriter[] columns() {
    return columns;
  }

  /** The maximum definition level of column {@code i}: 1 if nullable, 0 if required. */
  public int maxDefinitionLevel(int i) {
    return descriptors.get(i).getMaxDefinitionLevel();
  }

  /**
   * A record consumer for whole rows: {@code startMessage}, fields, {@code endMessage}; the end of
   * a message ends the row. The same object serves the whole file.
   */
  public RecordConsumer recordConsumer() {
    if (columnIO == null) {
      columnIO = new ColumnIOFactory(false).getColumnIO(messageType);
      recordWriter = columnIO.getRecordWriter(columnStore);
    }
    return new RowEndingConsumer();
  }

  /** Ends a row written column by column; may flush the row group. */
  public void endRecord() {
    columnStore.endRecord();
    rowEnded();
  }

  /** Rows ended so far. */
  public long rowCount() {
    return rows;
  }

  /** Bytes handed to the stream so far. */
  public long bytesWritten() {
    return output.position();
  }

  /** Bytes of the open row group held in memory (encoded pages and page buffers). */
  public long bufferedBytes() {
    return columnStore == null ? 0 : columnStore.getBufferedSize();
  }

  /**
   * Heap held for this file, for a memory budget: the allocated capacity of the open row group's
   * column and page buffers, the compressor's page buffers, and per column the fixed cost that
   * parquet-java's allocated-size figure leaves out (column, page and statistics writers, the
   * dictionary's empty hash map; with {@link SmallDictionaryIds} the id list no longer starts with
   * a 16 KiB slab), {@value #FIXED_BYTES_PER_COLUMN} bytes as measured by {@code
   * OpenFileFootprintTest} (heap growth per open file of 12 columns after one row), plus the
   * objects that hold the dictionaries' entries ({@link
   * SmallDictionaryIds#dictionaryEntryBytes()}).
   */
  public long memoryBytes() {
    long perColumn = FIXED_BYTES_PER_COLUMN;
    long store = columnStore == null ? 0 : columnStore.getAllocatedSize();
    long dictionaries =
        props.getValuesWriterFactory() instanceof SmallDictionaryIds
            ? ((SmallDictionaryIds) props.getValuesWriterFactory()).dictionaryEntryBytes()
            : 0;
    return store + dictionaries + output.codecBytes() + perColumn * descriptors.size();
  }

  /**
   * The size the file would have if finished now, closer than {@link #bytesWritten()} + {@link
   * #bufferedBytes()} (which counts the values not yet cut into a page at their raw, uncompressed
   * size, a large overestimate for small files): bytes written, plus the compressed pages held,
   * plus each column's raw values at the ratio of compressed page bytes to raw bytes that column
   * has shown so far. The ratio is learned each time a page is cut between two calls, so call it
   * regularly (a batcher does, every hundred rows); until a column's first page it counts raw
   * bytes. Walks the columns; not for every row.
   */
  public long estimatedSize() {
    long total = output.position();
    if (columnStore == null) {
      return total;
    }
    for (int i = 0; i < columns.length; i++) {
      long paged = pageStore.getPageWriter(descriptors.get(i)).getMemSize();
      long pending = Math.max(0, columns[i].getBufferedSizeInMemory() - paged);
      if (paged > lastPaged[i] && lastPending[i] > 0) {
        // a page was cut since the last call: it held about the raw bytes pending then
        pendingRatio[i] = Math.min(1.0, (paged - lastPaged[i]) / (double) lastPending[i]);
      }
      lastPaged[i] = paged;
      lastPending[i] = pending;
      total += paged + (long) (pending * pendingRatio[i]);
    }
    return total;
  }

  /**
   * Writes the open row group and the footer, and flushes the stream (which stays open).
   *
   * @param keyValueMetadata the runtime's footer entries, added to the writer's own
   * @throws IngestException if the stream fails
   */
  public void finish(Map<String, String> keyValueMetadata) {
    if (output.beginFinish()) {
      flushRowGroup();
      output.writeFooter(keyValueMetadata);
    }
  }

  /**
   * Statistics of every column of the finished file, in schema order: the column-chunk statistics
   * that parquet-java's column writers gathered value by value while writing (the ones in the
   * footer), merged across row groups and converted to the row model's values by {@link
   * FooterColumnStats}. Nothing is counted per row for them; they are put together on the first
   * call. Still valid after {@link #close()}.
   *
   * @throws IllegalStateException if {@link #finish(Map)} has not written the footer
   */
  public List<ColumnStats> columnStats() {
    return output.columnStats();
  }

  /** Releases the buffers of the open row group and the codec. Idempotent. */
  @Override
  public void close() {
    output.close(this::releaseRowGroup);
  }

  private void rowEnded() {
    rows++;
    rowsInGroup++;
    if (sizeCheck.isFull(rowsInGroup, columnStore)) {
      flushRowGroup();
      openRowGroup();
    }
  }

  private void openRowGroup() {
    pageStore = output.newPageStore(rowGroupOrdinal, props.getAllocator());
    columnStore = props.newColumnWriteStore(messageType, pageStore, pageStore);
    for (int i = 0; i < columns.length; i++) {
      columns[i] = columnStore.getColumnWriter(descriptors.get(i));
    }
    if (columnIO != null) {
      recordWriter = columnIO.getRecordWriter(columnStore);
    }
  }

  private void flushRowGroup() {
    long flushedRows = rowsInGroup;
    try {
      if (recordWriter != null) {
        recordWriter.flush();
      }
      if (rowsInGroup > 0) {
        rowGroupOrdinal++;
        fileWriter.startBlock(rowsInGroup);
        columnStore.flush();
        pageStore.flushToFileWriter(fileWriter);
        fileWriter.endBlock();
        rowsInGroup = 0;
      }
      sizeCheck.flushed(fileWriter.getNextRowGroupSize(), flushedRows);
    } catch (IOException e) {
      throw output.rowGroupFailure(rowGroupOrdinal, e);
    } finally {
      releaseRowGroup();
    }
  }

  private void releaseRowGroup() {
    if (columnStore != null) {
      try {
        columnStore.close();
      } finally {
        columnStore = null;
        pageStore.close();
        pageStore = null;
      }
    }
  }

  /** Forwards to parquet-java's record writer of the open row group; a message end ends a row. */
  private final class RowEndingConsumer extends RecordConsumer {
    @Override
    public void startMessage() {
      recordWriter.startMessage();
    }

    @Override
    public void endMessage() {
      recordWriter.endMessage();
      rowEnded();
    }

    @Override
    public void startField(String field, int index) {
      recordWriter.startField(field, index);
    }

    @Override
    public void endField(String field, int index) {
      recordWriter.endField(field, index);
    }

    @Override
    public void startGroup() {
      recordWriter.startGroup();
    }

    @Override
    public void endGroup() {
      recordWriter.endGroup();
    }

    @Override
    public void addInteger(int value) {
      recordWriter.addInteger(value);
    }

    @Override
    public void addLong(long value) {
      recordWriter.addLong(value);
    }

    @Override
    public void addBoolean(boolean value) {
      recordWriter.addBoolean(value);
    }

    @Override
    public void addBinary(Binary value) {
      recordWriter.addBinary(value);
    }

    @Override
    public void addFloat(float value) {
      recordWriter.addFloat(value);
    }

    @Override
    public void addDouble(double value) {
      recordWriter.addDouble(value);
    }

    @Override
    public void flush() {
      recordWriter.flush();
    }
  }
}
