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

  /** The loaded chunk's validity bits (Arrow's order), padded to whole 8-byte words. */
  private byte[] validity = new byte[0];

  private boolean chunkHasNulls;

  /** The first row of the loaded chunk whose definition level is not yet in the open page. */
  private int levelsFrom;

  /** Values (nulls included) in the open page. */
  int pageValues;

  int pageNulls;

  /** The page's values at their plain size (with a 4-byte length for byte strings). */
  long pageRawBytes;

  /**
   * The open page's definition levels as bits (1 a value, 0 a null; value k in bit k % 64 of word k
   * / 64), copied a word at a time from the chunks' validity bits; {@link #levelCount} of them.
   */
  private long[] levels = new long[16];

  private int levelCount;

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

  /**
   * Copies the validity bits of a nullable vector; a vector without nulls needs none. Starts the
   * chunk's definition levels at row 0.
   */
  final void loadValidity(FieldVector vector, int rows) {
    levelsFrom = 0;
    chunkHasNulls = nullable && vector.getNullCount() > 0;
    if (chunkHasNulls) {
      int n = (rows + 7) >>> 3;
      int padded = ((rows + 63) >>> 6) << 3;
      if (validity.length < padded) {
        validity = new byte[Math.max(padded, validity.length * 2)];
      }
      vector.getValidityBuffer().getBytes(0, validity, 0, n);
      Arrays.fill(validity, n, padded, (byte) 0);
    }
  }

  final boolean isNull(int row) {
    return chunkHasNulls && (validity[row >>> 3] & (1 << (row & 7))) == 0;
  }

  /**
   * Counts a null into the open page (its definition level comes from the validity bits when the
   * page's levels are taken, {@link #levelsTo}).
   */
  final void addNull() {
    pageValues++;
  }

  /**
   * Moves the definition levels of the loaded chunk's rows up to {@code row} (exclusive) into the
   * open page: a word of validity bits at a time, all ones for a chunk without nulls; the nulls
   * among them are counted from the bits. Called with the row after the last one written before a
   * page is cut and at the end of every {@link #write}.
   */
  final void levelsTo(int row) {
    int from = levelsFrom;
    levelsFrom = row;
    int n = row - from;
    if (!nullable || n <= 0) {
      return;
    }
    int need = ((levelCount + n) >>> 6) + 2;
    if (levels.length < need) {
      levels = Arrays.copyOf(levels, Math.max(need, levels.length * 2));
    }
    long[] out = levels;
    int pos = levelCount;
    int src = from;
    int nulls = 0;
    while (src < row) {
      int take = Math.min(64, row - src);
      long bits;
      if (chunkHasNulls) {
        int word = src >>> 6;
        int shift = src & 63;
        bits = (long) ByteBuilder.LONG.get(validity, word << 3) >>> shift;
        if (shift != 0 && shift + take > 64) {
          bits |= (long) ByteBuilder.LONG.get(validity, (word + 1) << 3) << (64 - shift);
        }
        if (take < 64) {
          bits &= (1L << take) - 1;
        }
        nulls += take - Long.bitCount(bits);
      } else {
        bits = take == 64 ? -1L : (1L << take) - 1;
      }
      int w = pos >>> 6;
      int b = pos & 63;
      out[w] |= bits << b;
      if (b != 0 && b + take > 64) {
        out[w + 1] |= bits >>> (64 - b);
      }
      pos += take;
      src += take;
    }
    levelCount = pos;
    pageNulls += nulls;
  }

  /** True when the open page has reached parquet-java's page size or row-count limit. */
  final boolean pageFull() {
    return pageRawBytes >= pageThreshold || pageValues >= pageRowLimit;
  }

  /**
   * Takes the definition levels of the loaded chunk's rows before {@code nextRow} into the open
   * page and then compresses and buffers it (if it holds values): a page cut inside a chunk.
   */
  final void writePage(int nextRow) {
    levelsTo(nextRow);
    writePage();
  }

  /**
   * Compresses and buffers the open page (if it holds values), whose levels must have been taken
   * ({@link #levelsTo}).
   */
  private void writePage() {
    if (pageValues == 0) {
      return;
    }
    page.reset();
    if (nullable) {
      if (levelCount != pageValues) {
        throw new IllegalStateException(
            "Cannot write a page of column "
                + descriptor
                + ": "
                + levelCount
                + " definition levels for "
                + pageValues
                + " values");
      }
      int lengthAt = page.size();
      page.writeInt(0);
      if (pageNulls == 0) {
        RleHybridEncoder.writeRun(page, pageValues, 1, 1);
      } else if (pageNulls == pageValues) {
        RleHybridEncoder.writeRun(page, pageValues, 0, 1);
      } else {
        RleHybridEncoder.encodeBits(levels, pageValues, page);
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
    Arrays.fill(levels, 0, Math.min(levels.length, (levelCount >>> 6) + 2), 0L);
    levelCount = 0;
    resetPage();
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
        + levels.length * 8L
        + validity.length
        + allocatedBytes();
  }
}
