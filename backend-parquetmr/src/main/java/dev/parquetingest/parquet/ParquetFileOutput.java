package dev.parquetingest.parquet;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.ColumnStats;
import dev.parquetingest.spi.EncoderOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.crypto.FileEncryptionProperties;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.schema.MessageType;

/**
 * What every backend's file writer does per file, in one place: the schema ({@link
 * ParquetSchemas}), the properties ({@link WriterProperties}), the shared ZSTD codec, the {@link
 * ParquetFileWriter} on the sink's stream (magic bytes at construction), a page store per row
 * group, the footer ({@code created_by} and key-value metadata of {@link Footers}), the column
 * statistics read from it ({@link FooterColumnStats}), and the finish/close lifecycle with its
 * guards. The writers ({@link ColumnarFileWriter}, the arrow backend's columnar writer) own their
 * row groups.
 *
 * <p>Lifecycle: {@link #beginFinish()}; if it returns true the writer flushes its last row group
 * and calls {@link #writeFooter(Map)}; {@link #close(Runnable)} once (idempotent). The stream is
 * never closed. Not thread-safe.
 */
public final class ParquetFileOutput {
  private final Schema schema;
  private final MessageType messageType;
  private final ParquetProperties props;
  private final StreamOutputFile file;
  private final ZstdCodecFactory codecs;
  private final BytesInputCompressor compressor;
  private final ParquetFileWriter fileWriter;
  private boolean finished;
  private boolean footerWritten;
  private List<ColumnStats> columnStats;
  private boolean closed;

  /**
   * Starts a file on {@code out}: writes the magic bytes.
   *
   * @param description names the output in messages, e.g. {@code arrow output}
   * @throws IngestException if the stream fails
   */
  public ParquetFileOutput(
      Schema schema, OutputStream out, EncoderOptions options, String description) {
    this.schema = schema;
    this.messageType = ParquetSchemas.toMessageType(schema);
    this.props = WriterProperties.parquetProperties(options);
    this.file = new StreamOutputFile(out, description);
    this.codecs = new ZstdCodecFactory(options.compressionLevel());
    this.compressor = codecs.getCompressor(WriterProperties.CODEC);
    try {
      this.fileWriter =
          new ParquetFileWriter(
              file,
              messageType,
              ParquetFileWriter.Mode.CREATE,
              options.rowGroupSize().toBytes(),
              0,
              (FileEncryptionProperties) null,
              props);
      fileWriter.start();
    } catch (IOException e) {
      codecs.release();
      throw new IngestException(
          "Cannot start Parquet file on " + description + ": " + rootMessage(e), e);
    }
  }

  /** The Parquet schema of the file. */
  public MessageType messageType() {
    return messageType;
  }

  /** The writer properties of the file. */
  public ParquetProperties props() {
    return props;
  }

  /** parquet-java's file writer, for the row groups. */
  public ParquetFileWriter fileWriter() {
    return fileWriter;
  }

  /** Bytes handed to the stream so far. */
  public long position() {
    return file.position();
  }

  /** Heap held by the codec's buffers. */
  public long codecBytes() {
    return codecs.allocatedBytes();
  }

  /**
   * A page store for row group {@code rowGroupOrdinal}, compressing through the file's ZSTD codec;
   * its page buffers come from {@code allocator}.
   */
  public ColumnChunkPageWriteStore newPageStore(
      int rowGroupOrdinal, ByteBufferAllocator allocator) {
    return ColumnChunkPageWriteStore.builder()
        .withSchema(messageType)
        .withCompressorProvider(column -> compressor)
        .withAllocator(allocator)
        .withColumnIndexTruncateLength(props.getColumnIndexTruncateLength())
        .withPageWriteChecksumEnabled(props.getPageWriteChecksumEnabled())
        .withRowGroupOrdinal(rowGroupOrdinal)
        .build();
  }

  /**
   * Starts finishing the file.
   *
   * @return true the first time: the caller then flushes its last row group and calls {@link
   *     #writeFooter(Map)}; false if the file was already finished
   * @throws IllegalStateException if the file has been closed
   */
  public boolean beginFinish() {
    if (finished) {
      return false;
    }
    if (closed) {
      throw new IllegalStateException("Cannot finish Parquet file: it has been closed");
    }
    finished = true;
    return true;
  }

  /**
   * Writes the footer and flushes the stream (which stays open).
   *
   * @param keyValueMetadata the runtime's footer entries, added to the writer's own
   * @throws IngestException if the stream fails
   */
  public void writeFooter(Map<String, String> keyValueMetadata) {
    try {
      file.end(
          fileWriter,
          Footers.keyValueMetadata(props.getExtraMetaData(), keyValueMetadata),
          Footers.CREATED_BY);
      footerWritten = true;
    } catch (IOException e) {
      throw new IngestException(
          "Cannot finish Parquet file " + file.getPath() + ": " + rootMessage(e), e);
    }
  }

  /** Whether the footer has been written. */
  public boolean footerWritten() {
    return footerWritten;
  }

  /**
   * Statistics of every column of the finished file, in schema order, from the footer's
   * column-chunk statistics merged across row groups ({@link FooterColumnStats}); put together on
   * the first call. Still valid after {@link #close(Runnable)}.
   *
   * @throws IllegalStateException if the footer has not been written
   */
  public List<ColumnStats> columnStats() {
    if (!footerWritten) {
      throw new IllegalStateException(
          "Cannot report column statistics of " + file.getPath() + ": the file is not finished");
    }
    if (columnStats == null) {
      columnStats = FooterColumnStats.of(schema, messageType, fileWriter.getFooter().getBlocks());
    }
    return columnStats;
  }

  /** Whether {@link #close(Runnable)} has been called. */
  public boolean closed() {
    return closed;
  }

  /**
   * Closes the file once: runs {@code releaseRowGroup} (the writer's open row group), then releases
   * the codec, even if the first fails.
   *
   * @return true the first time, false if already closed
   */
  public boolean close(Runnable releaseRowGroup) {
    if (closed) {
      return false;
    }
    closed = true;
    try {
      releaseRowGroup.run();
    } finally {
      codecs.release();
    }
    return true;
  }

  /** The failure of writing row group {@code ordinal}, naming the file and the stream's cause. */
  public IngestException rowGroupFailure(int ordinal, IOException e) {
    return new IngestException(
        "Cannot write row group " + ordinal + " of " + file.getPath() + ": " + rootMessage(e), e);
  }

  /**
   * The innermost cause's message: parquet-java wraps a failing stream's exception in messages that
   * quote the whole footer, while the sink's own message (bucket, key, error code) is the useful
   * part.
   */
  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }
}
