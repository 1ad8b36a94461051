package dev.parquetingest.backend.arrow;

import dev.parquetingest.common.DataSize;
import dev.parquetingest.common.IngestException;
import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.ColumnStats;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.EncoderOptions;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;

/**
 * One Parquet file written from Arrow vectors, chunk by chunk. Rows are appended into one vector
 * per column; when {@code chunkRows} rows are in, the chunk is encoded column by column by the
 * {@link ColumnarParquetWriter} (levels, dictionaries, plain values and statistics, pages
 * compressed and buffered until the row group ends) and the vectors are reset for the next chunk.
 * The vectors live in a child allocator of this file alone, closed with it: off-heap memory is one
 * chunk whatever the file size, and any byte left over at close is reported as a leak.
 *
 * <p>Not thread-safe; lifecycle as in {@link Encoder}.
 */
final class ArrowEncoder implements Encoder {
  private static final AtomicLong FILES = new AtomicLong();

  private final ArrowSettings settings;
  private final Schema schema;
  private final BufferAllocator allocator;
  private final ChunkColumn[] columns;

  /** Appends a row to {@link #columns}, a loop per kind of column. */
  private final ChunkRows chunkRows;

  /** The indices of the required (non-nullable) columns, checked before a row is appended. */
  private final int[] required;

  private final ColumnarParquetWriter writer;
  private final long fixedBytesPerRow;
  private int rowsInChunk;
  private long variableBytesInChunk;

  /** The chunks encoded so far at their size in the vectors, for {@link #estimatedFileSize()}. */
  private long rawBytesEncoded;

  private long rows;
  private long chunks;
  private long peakBytes;
  private boolean finished;
  private boolean closed;

  ArrowEncoder(Schema schema, OutputStream out, EncoderOptions options, ArrowSettings settings) {
    this.settings = settings;
    this.schema = schema;
    int n = schema.size();
    int requiredCount = 0;
    for (int i = 0; i < n; i++) {
      if (!schema.field(i).nullable()) {
        requiredCount++;
      }
    }
    this.required = new int[requiredCount];
    this.columns = new ChunkColumn[n];
    this.allocator =
        ArrowAllocators.root(settings.allocator)
            .newChildAllocator(
                "parquet-ingest file " + FILES.incrementAndGet(), 0, settings.memoryLimit);
    ColumnarParquetWriter started = null;
    try {
      started = new ColumnarParquetWriter(schema, out, options, "arrow output");
      long fixed = 0;
      int r = 0;
      for (int i = 0; i < n; i++) {
        if (!schema.field(i).nullable()) {
          required[r++] = i;
        }
        columns[i] = ChunkColumn.of(schema.field(i), allocator, settings.chunkRows);
        fixed += fixedWidth(schema.field(i).type().kind());
      }
      this.fixedBytesPerRow = fixed;
      this.chunkRows = new ChunkRows(columns);
    } catch (OutOfMemoryException e) {
      release(started);
      throw memoryLimitReached(e);
    } catch (RuntimeException e) {
      release(started);
      throw e;
    }
    this.writer = started;
  }

  @Override
  public void write(Row row) {
    if (finished || closed) {
      throw new IllegalStateException("Cannot write a row: the file is already finished or closed");
    }
    for (int i : required) {
      if (row.isNull(i)) {
        throw new IllegalArgumentException(
            "Cannot write null into required column '" + schema.field(i).name() + "'");
      }
    }
    int index = rowsInChunk;
    try {
      variableBytesInChunk += chunkRows.append(row, index);
    } catch (OutOfMemoryException e) {
      throw memoryLimitReached(e);
    }
    rowsInChunk = index + 1;
    rows++;
    if (rowsInChunk == settings.chunkRows) {
      writeChunk();
    }
  }

  /** Encodes the chunk column by column, then resets the vectors. */
  private void writeChunk() {
    int n = rowsInChunk;
    ChunkColumn[] cols = columns;
    for (ChunkColumn c : cols) {
      c.seal(n);
    }
    writer.write(cols, n);
    rawBytesEncoded += n * fixedBytesPerRow + variableBytesInChunk;
    peakBytes = Math.max(peakBytes, allocator.getPeakMemoryAllocation());
    for (ChunkColumn c : cols) {
      c.reset();
    }
    rowsInChunk = 0;
    variableBytesInChunk = 0;
    chunks++;
  }

  @Override
  public long rowCount() {
    return rows;
  }

  @Override
  public long bytesWritten() {
    return writer.bytesWritten();
  }

  /** The open row group (compressed pages plus open pages) plus the chunk not yet encoded. */
  @Override
  public long bufferedBytes() {
    return writer.bufferedBytes() + rowsInChunk * fixedBytesPerRow + variableBytesInChunk;
  }

  /**
   * The columnar writer's heap (page buffers, dictionaries, the row group's compressed pages, the
   * codec's buffers) plus the chunk's vectors (Arrow memory, off heap).
   */
  @Override
  public long memoryBytes() {
    return writer.memoryBytes() + allocator.getAllocatedMemory();
  }

  /**
   * Bytes written, plus the row group's compressed pages, the open pages at their column's
   * compression ratio so far, the dictionaries, and the chunk not yet encoded at the ratio of the
   * whole file so far (its raw size until the first page).
   */
  @Override
  public long estimatedFileSize() {
    long encoded = writer.estimatedSize();
    long pending = rowsInChunk * fixedBytesPerRow + variableBytesInChunk;
    double ratio = rawBytesEncoded == 0 ? 1.0 : Math.min(1.0, encoded / (double) rawBytesEncoded);
    return encoded + (long) (pending * ratio);
  }

  @Override
  public void finish(Map<String, String> keyValueMetadata) {
    if (finished) {
      return;
    }
    if (closed) {
      throw new IllegalStateException("Cannot finish the file: it has been closed");
    }
    finished = true;
    if (rowsInChunk > 0) {
      writeChunk();
    }
    writer.finish(keyValueMetadata);
  }

  /** From the footer's column-chunk statistics: {@link ColumnarParquetWriter#columnStats()}. */
  @Override
  public List<ColumnStats> columnStats() {
    return writer.columnStats();
  }

  /**
   * Allocator kind, chunk rows, memory limit, chunks written and the most off-heap bytes this
   * file's allocator held at once.
   */
  @Override
  public Map<String, String> details() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("arrow.allocator", settings.allocator.id());
    d.put("arrow.chunk-rows", Integer.toString(settings.chunkRows));
    d.put("arrow.memory-limit", settings.describeLimit());
    d.put("arrow.chunks", Long.toString(chunks + (rowsInChunk > 0 ? 1 : 0)));
    d.put("arrow.allocator.peak-bytes", Long.toString(peakAllocatedBytes()));
    d.put("arrow.allocator.peak", DataSize.ofBytes(peakAllocatedBytes()).toString());
    return Map.copyOf(d);
  }

  /** The most bytes this file's allocator has held at once. */
  long peakAllocatedBytes() {
    return closed ? peakBytes : Math.max(peakBytes, allocator.getPeakMemoryAllocation());
  }

  /** Bytes this file's allocator holds now (0 after close). */
  long allocatedBytes() {
    return closed ? 0 : allocator.getAllocatedMemory();
  }

  /**
   * Releases the vectors, the allocator and parquet-java's buffers. Idempotent.
   *
   * @throws IngestException if Arrow memory was still held after the vectors were released (a leak)
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    peakBytes = peakAllocatedBytes();
    closed = true;
    release(writer);
  }

  private void release(ColumnarParquetWriter started) {
    RuntimeException failure = null;
    for (ChunkColumn c : columns) {
      if (c != null) {
        try {
          c.close();
        } catch (RuntimeException e) {
          failure = addTo(failure, e);
        }
      }
    }
    try {
      allocator.close();
    } catch (IllegalStateException e) {
      failure =
          addTo(
              failure,
              new IngestException(
                  "Cannot release the Arrow memory of the file: " + e.getMessage(), e));
    }
    if (started != null) {
      try {
        started.close();
      } catch (RuntimeException e) {
        failure = addTo(failure, e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static RuntimeException addTo(RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  private IngestException memoryLimitReached(OutOfMemoryException e) {
    return new IngestException(
        "Cannot buffer row "
            + rows
            + " in Arrow vectors: the file's allocator would exceed "
            + ArrowEncoderProvider.MEMORY_LIMIT_PROPERTY
            + " ("
            + settings.describeLimit()
            + ") with "
            + settings.chunkRows
            + " rows per chunk; raise "
            + ArrowEncoderProvider.MEMORY_LIMIT_PROPERTY
            + " or lower "
            + ArrowEncoderProvider.CHUNK_ROWS_PROPERTY,
        e);
  }

  /** Bytes a value occupies in the vector (plus its validity bit, rounded to one byte). */
  private static long fixedWidth(dev.parquetingest.schema.TypeKind kind) {
    switch (kind) {
      case BOOLEAN:
        return 1;
      case INT32:
      case DATE:
      case FLOAT:
        return 5;
      case INT64:
      case TIMESTAMP_MILLIS:
      case TIMESTAMP_MICROS:
      case DOUBLE:
        return 9;
      case STRING:
      case BINARY:
        return 5;
      case DECIMAL:
        return 17;
      default:
        throw new AssertionError(kind);
    }
  }
}
