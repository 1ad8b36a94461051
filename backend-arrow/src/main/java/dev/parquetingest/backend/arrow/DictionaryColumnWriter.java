package dev.parquetingest.backend.arrow;

import java.util.Arrays;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.DictionaryPage;

/**
 * The dictionary-or-plain page state that every column with a dictionary shares ({@link
 * FixedWidthColumnWriter}, {@link BytesColumnWriter}): while the dictionary is active the open page
 * holds ids, else PLAIN values in {@link #plain}, with parquet-java's fallback rule ({@code
 * FallbackValuesWriter}): the column chunk falls back to PLAIN for good, re-encoding the open page,
 * as soon as the dictionary passes the dictionary page size, or when the first page's ids plus the
 * dictionary are not smaller than its plain values. The dictionary page holds the entries that the
 * chunk's dictionary-encoded pages used. The subclass owns the dictionary itself and the
 * statistics. Not thread-safe.
 */
abstract class DictionaryColumnWriter extends ColumnChunkWriter {
  private final boolean dictionaryEnabled;
  private final long maxDictionaryBytes;

  /** True while the open page is dictionary-encoded (ids), false once the chunk fell back. */
  boolean dictionaryActive;

  private boolean firstPage = true;
  private long dictionaryBytes;
  private int lastUsedDictionarySize;
  private long lastUsedDictionaryBytes;

  /**
   * The open page's dictionary ids, {@link #idCount} of them. A subclass's loop may append to them
   * directly (and keep the count in a local while it does), growing the array by {@link #growIds}.
   */
  int[] ids = new int[256];

  int idCount;

  /** The open page's PLAIN values, once the chunk has fallen back. */
  final ByteBuilder plain = new ByteBuilder(1024);

  DictionaryColumnWriter(ColumnDescriptor descriptor, ParquetProperties props, boolean dictionary) {
    super(descriptor, props);
    this.dictionaryEnabled = dictionary;
    this.dictionaryActive = dictionary;
    this.maxDictionaryBytes = props.getDictionaryPageSizeThreshold();
  }

  /** Entries in the dictionary. */
  abstract int dictionarySize();

  /** Appends entry {@code id}'s value to {@code out} as PLAIN. */
  abstract void writePlain(int id, ByteBuilder out);

  /** Empties the dictionary (its buffers may be kept). */
  abstract void clearDictionary();

  /**
   * Called when the open page switches from ids to PLAIN, while the dictionary still holds every
   * entry: the subclass turns page statistics kept as ids into values.
   */
  void fallingBack() {}

  /** Clears the subclass's page state (statistics) after a page is written. */
  abstract void resetValuesPage();

  /**
   * Records dictionary id {@code id} as the open page's next value; {@code newEntryBytes} is the
   * plain size of the entry if it has just been added to the dictionary, else 0. May fall back.
   */
  final void addId(int id, long newEntryBytes) {
    if (idCount == ids.length) {
      growIds();
    }
    ids[idCount++] = id;
    if (newEntryBytes > 0) {
      dictionaryBytes += newEntryBytes;
      if (dictionaryBytes > maxDictionaryBytes) {
        fallBack();
      }
    }
  }

  /**
   * Makes room for one more id after the {@link #idCount} held; returns the new {@link #ids}. A
   * page holds at most pageRowLimit ids, so the array grows by 4 up to it, not by 2 past it.
   */
  final int[] growIds() {
    long grown = Math.max(idCount + 1L, Math.min((long) idCount * 4, pageRowLimit));
    ids = Arrays.copyOf(ids, (int) Math.min(Integer.MAX_VALUE - 16, grown));
    return ids;
  }

  /**
   * The plain bytes a full page of this column takes at most (a cap of the first allocation of
   * {@link #plain} at a fall-back); by default the page size threshold.
   */
  long plainPageBytes() {
    return pageThreshold;
  }

  /** Re-encodes the open page's values as PLAIN; the rest of the chunk stays PLAIN. */
  private void fallBack() {
    dictionaryActive = false;
    // room for the page's values and as many again, up to a full page: not a full page at once,
    // which a run with a thousand small open files (partitions) cannot hold
    long room = Math.max(pageRawBytes, Math.min(plainPageBytes(), 2 * pageRawBytes));
    plain.ensure((int) Math.min(Integer.MAX_VALUE - 16, room));
    for (int k = 0; k < idCount; k++) {
      writePlain(ids[k], plain);
    }
    idCount = 0;
    fallingBack();
    if (lastUsedDictionarySize == 0) {
      clearDictionary();
      dictionaryBytes = 0;
    }
  }

  @Override
  final Encoding appendPageValues(ByteBuilder out) {
    if (dictionaryActive) {
      int start = out.size();
      int bitWidth = RleHybridEncoder.bitWidth(dictionarySize() - 1);
      out.writeByte(bitWidth);
      RleHybridEncoder.encode(ids, idCount, bitWidth, out);
      if (!firstPage || (out.size() - start) + dictionaryBytes < pageRawBytes) {
        firstPage = false;
        lastUsedDictionarySize = dictionarySize();
        lastUsedDictionaryBytes = dictionaryBytes;
        return DICTIONARY;
      }
      out.truncate(start);
      fallBack();
    }
    firstPage = false;
    out.write(plain.array(), 0, plain.size());
    return Encoding.PLAIN;
  }

  @Override
  final void resetPage() {
    idCount = 0;
    plain.reset();
    resetValuesPage();
  }

  @Override
  final DictionaryPage takeDictionaryPage() {
    DictionaryPage page = null;
    if (lastUsedDictionarySize > 0) {
      ByteBuilder out =
          new ByteBuilder((int) Math.min(Integer.MAX_VALUE - 16, lastUsedDictionaryBytes));
      for (int id = 0; id < lastUsedDictionarySize; id++) {
        writePlain(id, out);
      }
      page =
          new DictionaryPage(
              BytesInput.from(out.array(), 0, out.size()), lastUsedDictionarySize, DICTIONARY);
    }
    clearDictionary();
    dictionaryBytes = 0;
    lastUsedDictionarySize = 0;
    lastUsedDictionaryBytes = 0;
    dictionaryActive = dictionaryEnabled;
    firstPage = true;
    return page;
  }

  @Override
  final long pendingDictionaryBytes() {
    return dictionaryActive ? dictionaryBytes : lastUsedDictionaryBytes;
  }

  /** Heap bytes of the ids and the plain buffer, plus {@link #valuesAllocatedBytes()}. */
  @Override
  final long allocatedBytes() {
    return ids.length * 4L + plain.capacity() + valuesAllocatedBytes();
  }

  /** Heap bytes the subclass holds (chunk copies, dictionary, statistics). */
  abstract long valuesAllocatedBytes();
}
