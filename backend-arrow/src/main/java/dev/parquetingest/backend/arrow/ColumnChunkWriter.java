package dev.parquetingest.backend.arrow;

import dev.parquetingest.common.IngestException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import org.apache.arrow.vector.FieldVector;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.SizeStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.statistics.geospatial.GeospatialStatistics;
import org.apache.parquet.schema.PrimitiveType;

/**
 * Encodes one column of a flat schema into Parquet v1 data pages, a chunk of Arrow vectors at a
 * time: definition levels (RLE/bit-packed hybrid, one run for a page without nulls), the values
 * (dictionary ids or plain, by the subclass) and the page statistics, all in one pass over the
 * chunk. Pages are cut at parquet-java's limits (its page size less its 10% tolerance, by the plain
 * size of the values, and its page row-count limit) and handed, uncompressed, to the {@link
 * PageWriter} of the open row group, which compresses them, writes their headers and builds the
 * column and offset indexes.
 *
 * <p>Lifecycle per row group: {@link #startChunk}, then per Arrow chunk {@link #load} and one or
 * more {@link #write} of consecutive row ranges, then {@link #finishChunk} (last page and the
 * dictionary page). Not thread-safe.
 */
abstract class ColumnChunkWriter {
  /** The level encoding v1 pages name for a column without levels (as parquet-java writes it). */
  @SuppressWarnings("deprecation")
  static final Encoding NO_LEVELS = Encoding.BIT_PACKED;

  /** The encoding v1 files give dictionary pages and dictionary-encoded data pages. */
  @SuppressWarnings("deprecation")
  static final Encoding DICTIONARY = Encoding.PLAIN_DICTIONARY;

  final ColumnDescriptor descriptor;
  final PrimitiveType type;
  final boolean nullable;

  /** The plain size at which a page is written (parquet-java's page size less its tolerance). */
  final long pageThreshold;

  /** The most values (nulls included) of a page. */
  final int pageRowLimit;

  private final boolean sizeStatistics;
  private PageWriter pageWriter;

  private byte[] validity = new byte[0];
  private boolean chunkHasNulls;

  /** Values (nulls included) in the open page. */
  int pageValues;

  int pageNulls;

  /** The page's values at their plain size (with a 4-byte length for byte strings). */
  long pageRawBytes;

  /** The open page's definition levels as runs: lengths of alternating 1s and 0s, from 1s. */
  private int[] levelRuns = new int[64];

  private int levelRunCount;
  private int lastNullEnd;
  private int[] levelScratch = new int[64];

  /** The buffer a page is assembled in before the page writer compresses it; shared by columns. */
  private ByteBuilder page;

  private long rawPaged;
  private long compressedPaged;

  ColumnChunkWriter(ColumnDescriptor descriptor, ParquetProperties props) {
    this.descriptor = descriptor;
    this.type = descriptor.getPrimitiveType();
    this.nullable = descriptor.getMaxDefinitionLevel() > 0;
    long pageSize = props.getPageSizeThreshold();
    this.pageThreshold = pageSize - (long) (pageSize * 0.1);
    this.pageRowLimit = props.getPageRowCountLimit();
    this.sizeStatistics = props.getSizeStatisticsEnabled(descriptor);
  }

  /**
   * Starts the column chunk of a new row group. {@code pageBuffer} is where pages are assembled; it
   * may be shared with the other columns of the file, since a page is compressed (copied) by the
   * page writer before the next one is assembled.
   */
  void startChunk(PageWriter writer, ByteBuilder pageBuffer) {
    this.pageWriter = writer;
    this.page = pageBuffer;
  }

  /** Takes the values of {@code rows} rows of {@code vector} (copied to the heap). */
  abstract void load(FieldVector vector, int rows);

  /** Encodes rows {@code from} to {@code to} (exclusive) of the loaded chunk. */
  abstract void write(int from, int to);

  /** Appends the open page's values to {@code out}; returns their encoding. */
  abstract Encoding appendPageValues(ByteBuilder out);

  /** The open page's statistics (without the null count), for parquet-java's page writer. */
  abstract Statistics<?> pageStatistics();

  /** Bytes of BINARY values in the open page, for the size statistics. */
  long pageUnencodedBytes() {
    return 0;
  }

  /** Clears the subclass's page state after a page is written. */
  abstract void resetPage();

  /** The dictionary page of the chunk, or null; then clears the dictionary for the next chunk. */
  abstract DictionaryPage takeDictionaryPage();

  /** Bytes the dictionary would add to the chunk if it were finished now. */
  abstract long pendingDictionaryBytes();

  /** Heap bytes the subclass holds (buffers, dictionary). */
  abstract long allocatedBytes();

  /** Copies the validity bits of a nullable vector; a vector without nulls needs none. */
  final void loadValidity(FieldVector vector, int rows) {
    chunkHasNulls = nullable && vector.getNullCount() > 0;
    if (chunkHasNulls) {
      int n = (rows + 7) >>> 3;
      if (validity.length < n) {
        validity = new byte[Math.max(n, validity.length * 2)];
      }
      vector.getValidityBuffer().getBytes(0, validity, 0, n);
    }
  }

  final boolean isNull(int row) {
    return chunkHasNulls && (validity[row >>> 3] & (1 << (row & 7))) == 0;
  }

  /**
   * Records a null in the open page. Definition levels are kept as runs, alternately of 1s (values)
   * and 0s (nulls), starting with 1s: a value costs nothing here, a null extends the last run of 0s
   * or starts one.
   */
  final void addNull() {
    if (levelRunCount > 0 && lastNullEnd == pageValues) {
      levelRuns[levelRunCount - 1]++;
    } else {
      appendRun(pageValues - lastNullEnd);
      appendRun(1);
    }
    lastNullEnd = pageValues + 1;
    pageNulls++;
    pageValues++;
  }

  private void appendRun(int length) {
    if (levelRunCount == levelRuns.length) {
      levelRuns = Arrays.copyOf(levelRuns, levelRunCount * 2);
    }
    levelRuns[levelRunCount++] = length;
  }

  /** True when the open page has reached parquet-java's page size or row-count limit. */
  final boolean pageFull() {
    return pageRawBytes >= pageThreshold || pageValues >= pageRowLimit;
  }

  /** Compresses and buffers the open page (if it holds values). */
  final void writePage() {
    if (pageValues == 0) {
      return;
    }
    page.reset();
    if (nullable) {
      int lengthAt = page.size();
      page.writeInt(0);
      if (pageNulls == 0) {
        RleHybridEncoder.writeRun(page, pageValues, 1, 1);
      } else if (pageNulls == pageValues) {
        RleHybridEncoder.writeRun(page, pageValues, 0, 1);
      } else {
        encodeLevelRuns(page);
      }
      page.setInt(lengthAt, page.size() - lengthAt - 4);
    }
    Encoding encoding = appendPageValues(page);
    Statistics<?> stats = pageStatistics();
    stats.incrementNumNulls(pageNulls);
    SizeStatistics sizes =
        sizeStatistics
            ? new SizeStatistics(type, pageUnencodedBytes(), new ArrayList<>(), new ArrayList<>())
            : SizeStatistics.noopBuilder(type, 0, descriptor.getMaxDefinitionLevel()).build();
    long before = pageWriter.getMemSize();
    try {
      pageWriter.writePage(
          page.toBytesInput(),
          pageValues,
          pageValues,
          stats,
          sizes,
          GeospatialStatistics.newBuilder(type).build(),
          NO_LEVELS,
          nullable ? Encoding.RLE : NO_LEVELS,
          encoding);
    } catch (IOException e) {
      throw new IngestException(
          "Cannot write a page of column " + descriptor + ": " + e.getMessage(), e);
    }
    compressedPaged += pageWriter.getMemSize() - before;
    rawPaged += pageRawBytes;
    pageValues = 0;
    pageNulls = 0;
    pageRawBytes = 0;
    levelRunCount = 0;
    lastNullEnd = 0;
    resetPage();
  }

  /** Expands the level runs of a page with some nulls and encodes them. */
  private void encodeLevelRuns(ByteBuilder out) {
    if (pageValues > lastNullEnd) {
      appendRun(pageValues - lastNullEnd);
    }
    if (levelScratch.length < pageValues) {
      levelScratch = new int[Math.max(pageValues, levelScratch.length * 2)];
    }
    int at = 0;
    for (int r = 0; r < levelRunCount; r++) {
      int end = at + levelRuns[r];
      Arrays.fill(levelScratch, at, end, (r & 1) == 0 ? 1 : 0);
      at = end;
    }
    RleHybridEncoder.encode(levelScratch, pageValues, 1, out);
  }

  /** Writes the last page and the dictionary page of the chunk; the dictionary is cleared. */
  void finishChunk() {
    writePage();
    DictionaryPage dictionary = takeDictionaryPage();
    if (dictionary != null) {
      try {
        pageWriter.writeDictionaryPage(dictionary);
      } catch (IOException e) {
        throw new IngestException(
            "Cannot write the dictionary page of column " + descriptor + ": " + e.getMessage(), e);
      }
    }
    pageWriter = null;
  }

  /**
   * Readies a writer whose file finished cleanly (every chunk finished) for another file of the
   * same layout: the buffers are kept, what was learned about this file is forgotten.
   */
  void recycle() {
    pageWriter = null;
    page = null;
    rawPaged = 0;
    compressedPaged = 0;
  }

  /** The row group's buffered bytes as parquet-java counts them: pages held plus the open page. */
  final long bufferedBytes() {
    // levels: one run (a few bytes) unless the page mixes values and nulls
    long levels = pageNulls > 0 && pageNulls < pageValues ? pageValues >>> 3 : 0;
    return (pageWriter == null ? 0 : pageWriter.getMemSize()) + pageRawBytes + levels;
  }

  /**
   * The bytes this column would add to the file if the chunk were finished now: pages held, the
   * open page at the compression ratio its earlier pages have shown, and the dictionary.
   */
  final long estimatedBytes() {
    long held = pageWriter == null ? 0 : pageWriter.getMemSize();
    double ratio = rawPaged == 0 ? 1.0 : Math.min(1.0, compressedPaged / (double) rawPaged);
    return held + (long) (pageRawBytes * ratio) + pendingDictionaryBytes();
  }

  /**
   * Heap bytes held: levels, chunk copies, dictionary, compressed pages (not the shared page
   * buffer).
   */
  final long memoryBytes() {
    return (pageWriter == null ? 0 : pageWriter.allocatedSize())
        + levelRuns.length * 4L
        + levelScratch.length * 4L
        + validity.length
        + allocatedBytes();
  }
}
