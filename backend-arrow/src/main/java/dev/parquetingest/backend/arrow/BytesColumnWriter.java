package dev.parquetingest.backend.arrow;

import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * BINARY columns (strings, binary) from a variable-width Arrow vector, and FIXED_LEN_BYTE_ARRAY
 * decimals (above 18 digits) from a 128-bit DecimalVector, turned into big-endian values of the
 * column's length. BINARY values go into a {@link BytesDictionary} per column chunk until it passes
 * the dictionary page size (the fallback rule of {@link DictionaryColumnWriter}), PLAIN ({@code
 * length + bytes}) after; FIXED_LEN_BYTE_ARRAY is always PLAIN, as parquet-java writes it in v1
 * files. Statistics compare unsigned bytes (BINARY) or big-endian two's complement (decimals), as
 * parquet-java's comparators do; with a dictionary, each distinct value is compared once per page.
 * Not thread-safe.
 */
final class BytesColumnWriter extends DictionaryColumnWriter {
  private final boolean fixed;
  private final int fixedLength;

  private static final java.lang.invoke.VarHandle BIG_LONG =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.BIG_ENDIAN);

  /** Fixed: the chunk's big-endian values. */
  private byte[] data = new byte[0];

  private byte[] wide = new byte[0];

  /**
   * Variable-width: the addresses of the loaded vector's offsets and value bytes, and the end of
   * its values. The values are hashed, compared and copied where Arrow holds them (no heap copy).
   */
  private long offsetAddress;

  private long dataAddress;
  private int dataEnd;
  private long dataCapacity;

  private final BytesDictionary dictionary = new BytesDictionary();

  /** Per dictionary id: the number of the last page whose statistics have seen it. */
  private int[] seenInPage = new int[256];

  private int pageNumber = 1;
  private long unencoded;

  /** Page bounds: dictionary ids while the page is dictionary-encoded, else copies. */
  private int minId = -1;

  private int maxId = -1;
  private byte[] min = new byte[16];
  private int minLength = -1;
  private byte[] max = new byte[16];
  private int maxLength = -1;

  BytesColumnWriter(ColumnDescriptor descriptor, ParquetProperties props, boolean dictionary) {
    super(
        descriptor,
        props,
        dictionary
            && descriptor.getPrimitiveType().getPrimitiveTypeName()
                != PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY);
    this.fixed = type.getPrimitiveTypeName() == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY;
    this.fixedLength = fixed ? type.getTypeLength() : -1;
  }

  @Override
  void load(FieldVector vector, int rows) {
    loadValidity(vector, rows);
    if (fixed) {
      int n = fixedLength;
      int all = rows * 16;
      if (wide.length < all) {
        wide = new byte[Math.max(all, wide.length * 2)];
      }
      vector.getDataBuffer().getBytes(0, wide, 0, all);
      if (data.length < rows * n) {
        data = new byte[Math.max(rows * n, data.length * 2)];
      }
      for (int i = 0; i < rows; i++) {
        int src = i * 16 + n - 1;
        int dst = i * n;
        for (int b = 0; b < n; b++) {
          data[dst + b] = wide[src - b];
        }
      }
      return;
    }
    ArrowBuf offsets = vector.getOffsetBuffer();
    ArrowBuf values = vector.getDataBuffer();
    if (offsets.capacity() < (rows + 1L) * 4) {
      throw new IllegalStateException(
          "Cannot encode " + rows + " values of column " + descriptor + ": too few offsets");
    }
    offsetAddress = offsets.memoryAddress();
    dataAddress = values.memoryAddress();
    dataEnd = offsets.getInt(rows * 4L);
    dataCapacity = values.capacity();
    if (dataEnd < 0 || dataEnd > values.capacity() || offsets.getInt(0) != 0) {
      throw new IllegalStateException(
          "Cannot encode column " + descriptor + ": its offsets leave the data buffer");
    }
  }

  @Override
  void write(int from, int to) {
    if (fixed) {
      writeFixed(from, to);
    } else {
      writeVariable(from, to);
    }
    levelsTo(to);
  }

  /**
   * BINARY values straight from the vector's memory: dictionary ids while the chunk's dictionary is
   * active ({@link #writeIds}), PLAIN after it fell back ({@link #writePlainValues}). Every value's
   * range is checked against the chunk's data (offsets ascending, within the buffer) before it is
   * read.
   */
  private void writeVariable(int from, int to) {
    int i = from;
    while (i < to && dictionaryActive) {
      i = writeIds(i, to);
    }
    if (i < to) {
      writePlainValues(i, to);
    }
  }

  /** The length of row {@code i}'s value, from offsets {@code start} and {@code end}; checked. */
  private int checkedLength(int i, int start, int end) {
    int len = end - start;
    if (len < 0 || end > dataEnd) {
      throw new IllegalStateException(
          "Cannot encode row " + i + " of column " + descriptor + ": its offsets are invalid");
    }
    return len;
  }

  /**
   * Dictionary-encodes rows from {@code from} on, up to {@code to} or until the dictionary falls
   * back; returns the row after the last one taken. The page's counters and the ids are kept in
   * locals while values hit the dictionary (kept in fields, the JIT would load and store each of
   * them for every value) and written back before anything that reads them: an insertion (which may
   * fall back), a page cut, the return.
   */
  private int writeIds(int from, int to) {
    long offsets = offsetAddress;
    long base = dataAddress;
    // the last address from which 8 bytes can be read inside the data buffer
    long lastWord = base + dataCapacity - 8;
    BytesDictionary dict = dictionary;
    long threshold = pageThreshold;
    int rowLimit = pageRowLimit;
    int[] ids = this.ids;
    int n = idCount;
    int values = pageValues;
    long raw = pageRawBytes;
    long bytes = unencoded;
    int[] seen = seenInPage;
    int page = pageNumber;
    int start = MemoryUtil.getInt(offsets + ((long) from << 2));
    int i = from;
    while (i < to) {
      int end = MemoryUtil.getInt(offsets + ((long) (i + 1) << 2));
      int len = checkedLength(i, start, end);
      values++;
      if (!isNull(i)) {
        long address = base + start;
        raw += len + 4;
        bytes += len;
        int id;
        if (len <= 8) {
          long key =
              address <= lastWord
                  ? BytesDictionary.shortKey(address, len)
                  : BytesDictionary.shortKeyByBytes(address, len);
          id = dict.findShort(key, len, BytesDictionary.shortHash(key, len));
        } else {
          id = dict.find(address, len, BytesDictionary.hash(address, len));
        }
        if (id >= 0) {
          if (seen[id] != page) {
            seen[id] = page;
            updateStatsWithId(id);
          }
          if (n == ids.length) {
            idCount = n;
            ids = growIds();
          }
          ids[n++] = id;
        } else {
          idCount = n;
          pageValues = values;
          pageRawBytes = raw;
          unencoded = bytes;
          addEntry(address, len, -1 - id);
          if (!dictionaryActive) {
            i++;
            if (pageFull()) {
              writePage(i);
            }
            return i;
          }
          ids = this.ids;
          n = idCount;
          seen = seenInPage;
        }
      }
      start = end;
      i++;
      if (raw >= threshold || values >= rowLimit) {
        idCount = n;
        pageValues = values;
        pageRawBytes = raw;
        unencoded = bytes;
        writePage(i);
        if (!dictionaryActive) {
          return i;
        }
        ids = this.ids;
        n = idCount;
        values = pageValues;
        raw = pageRawBytes;
        bytes = unencoded;
        page = pageNumber;
      }
    }
    idCount = n;
    pageValues = values;
    pageRawBytes = raw;
    unencoded = bytes;
    return i;
  }

  /**
   * Adds the value of {@code len} bytes at {@code address}, not in the dictionary, at the empty
   * {@code slot} its lookup found, and records it as the open page's next value (whose counters the
   * caller has already advanced); the dictionary may fall back.
   */
  private void addEntry(long address, int len, int slot) {
    int id = dictionary.insert(address, len, BytesDictionary.hash(address, len), slot);
    if (id >= seenInPage.length) {
      seenInPage = Arrays.copyOf(seenInPage, Math.max(id + 1, seenInPage.length * 2));
    }
    seenInPage[id] = pageNumber;
    updateStatsWithId(id);
    addId(id, 4L + len);
  }

  /** PLAIN values ({@code length + bytes}), once the chunk's dictionary has fallen back. */
  private void writePlainValues(int from, int to) {
    long offsets = offsetAddress;
    long base = dataAddress;
    int start = MemoryUtil.getInt(offsets + ((long) from << 2));
    for (int i = from; i < to; i++) {
      int end = MemoryUtil.getInt(offsets + ((long) (i + 1) << 2));
      int len = checkedLength(i, start, end);
      if (isNull(i)) {
        addNull();
      } else {
        long address = base + start;
        pageRawBytes += len + 4;
        unencoded += len;
        pageValues++;
        plain.writeInt(len);
        plain.writeFromMemory(address, len);
        updateStats(address, len);
      }
      start = end;
      if (pageFull()) {
        writePage(i + 1);
      }
    }
  }

  /** FIXED_LEN_BYTE_ARRAY decimals from the heap copy {@link #data}; always PLAIN. */
  private void writeFixed(int from, int to) {
    int len = fixedLength;
    byte[] d = data;
    for (int i = from; i < to; i++) {
      if (isNull(i)) {
        addNull();
      } else {
        int off = i * len;
        pageRawBytes += len;
        pageValues++;
        plain.write(d, off, len);
        updateStats(d, off, len);
      }
      if (pageFull()) {
        writePage(i + 1);
      }
    }
  }

  private int compare(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
    if (fixed) {
      // same length: the first byte signed, the rest unsigned
      int c = Byte.compare(a[aOff], b[bOff]);
      if (c != 0) {
        return c;
      }
      return Arrays.compareUnsigned(a, aOff + 1, aOff + aLen, b, bOff + 1, bOff + bLen);
    }
    if (aLen >= 8 && bLen >= 8) {
      // most values differ in their first 8 bytes: one unsigned comparison of big-endian words
      long x = (long) BIG_LONG.get(a, aOff);
      long y = (long) BIG_LONG.get(b, bOff);
      if (x != y) {
        return Long.compareUnsigned(x, y);
      }
    }
    return Arrays.compareUnsigned(a, aOff, aOff + aLen, b, bOff, bOff + bLen);
  }

  private void updateStatsWithId(int id) {
    byte[] arena = dictionary.arena();
    int off = dictionary.offset(id);
    int len = dictionary.length(id);
    if (minId < 0) {
      minId = id;
      maxId = id;
      return;
    }
    if (compare(arena, off, len, arena, dictionary.offset(minId), dictionary.length(minId)) < 0) {
      minId = id;
    } else if (compare(arena, off, len, arena, dictionary.offset(maxId), dictionary.length(maxId))
        > 0) {
      maxId = id;
    }
  }

  private void updateStats(byte[] d, int off, int len) {
    if (minLength < 0) {
      setMin(d, off, len);
      setMax(d, off, len);
      return;
    }
    if (compare(d, off, len, min, 0, minLength) < 0) {
      setMin(d, off, len);
    } else if (compare(d, off, len, max, 0, maxLength) > 0) {
      setMax(d, off, len);
    }
  }

  /** {@link #updateStats(byte[], int, int)} for a BINARY value in memory. */
  private void updateStats(long address, int len) {
    if (minLength < 0) {
      setMin(address, len);
      setMax(address, len);
      return;
    }
    if (compareUnsigned(address, len, min, minLength) < 0) {
      setMin(address, len);
    } else if (compareUnsigned(address, len, max, maxLength) > 0) {
      setMax(address, len);
    }
  }

  /**
   * Compares the {@code aLen} bytes at {@code address} with {@code b[0, bLen)} as unsigned bytes,
   * eight at a time as big-endian words (a shorter value that is a prefix of the other is less).
   */
  static int compareUnsigned(long address, int aLen, byte[] b, int bLen) {
    int common = Math.min(aLen, bLen);
    int i = 0;
    for (; i + 8 <= common; i += 8) {
      long x = Long.reverseBytes(MemoryUtil.getLong(address + i));
      long y = (long) BIG_LONG.get(b, i);
      if (x != y) {
        return Long.compareUnsigned(x, y);
      }
    }
    for (; i < common; i++) {
      int c = (MemoryUtil.getByte(address + i) & 0xFF) - (b[i] & 0xFF);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(aLen, bLen);
  }

  private void setMin(long address, int len) {
    if (min.length < len) {
      min = new byte[len];
    }
    MemoryUtil.copyFromMemory(address, min, 0, len);
    minLength = len;
  }

  private void setMax(long address, int len) {
    if (max.length < len) {
      max = new byte[len];
    }
    MemoryUtil.copyFromMemory(address, max, 0, len);
    maxLength = len;
  }

  private void setMin(byte[] d, int off, int len) {
    if (min.length < len) {
      min = new byte[len];
    }
    System.arraycopy(d, off, min, 0, len);
    minLength = len;
  }

  private void setMax(byte[] d, int off, int len) {
    if (max.length < len) {
      max = new byte[len];
    }
    System.arraycopy(d, off, max, 0, len);
    maxLength = len;
  }

  @Override
  void recycle() {
    super.recycle();
    offsetAddress = 0;
    dataAddress = 0;
    dataEnd = 0;
    dataCapacity = 0;
  }

  @Override
  int dictionarySize() {
    return dictionary.size();
  }

  @Override
  void writePlain(int id, ByteBuilder out) {
    int len = dictionary.length(id);
    out.writeInt(len);
    out.write(dictionary.arena(), dictionary.offset(id), len);
  }

  @Override
  void clearDictionary() {
    dictionary.clear();
  }

  /** The page's bounds, kept as ids while it was dictionary-encoded, become copies. */
  @Override
  void fallingBack() {
    if (minId >= 0) {
      byte[] arena = dictionary.arena();
      setMin(arena, dictionary.offset(minId), dictionary.length(minId));
      setMax(arena, dictionary.offset(maxId), dictionary.length(maxId));
      minId = -1;
      maxId = -1;
    }
  }

  @Override
  Statistics<?> pageStatistics() {
    Statistics<?> s = Statistics.createStats(type);
    if (minId >= 0) {
      byte[] arena = dictionary.arena();
      s.updateStats(copy(arena, dictionary.offset(minId), dictionary.length(minId)));
      s.updateStats(copy(arena, dictionary.offset(maxId), dictionary.length(maxId)));
    } else if (minLength >= 0) {
      s.updateStats(copy(min, 0, minLength));
      s.updateStats(copy(max, 0, maxLength));
    }
    return s;
  }

  private static Binary copy(byte[] bytes, int offset, int length) {
    return Binary.fromConstantByteArray(Arrays.copyOfRange(bytes, offset, offset + length));
  }

  @Override
  long pageUnencodedBytes() {
    return unencoded;
  }

  @Override
  void resetValuesPage() {
    unencoded = 0;
    minId = -1;
    maxId = -1;
    minLength = -1;
    maxLength = -1;
    pageNumber++;
  }

  @Override
  long valuesAllocatedBytes() {
    return data.length
        + wide.length
        + seenInPage.length * 4L
        + min.length
        + max.length
        + dictionary.allocatedBytes();
  }
}
