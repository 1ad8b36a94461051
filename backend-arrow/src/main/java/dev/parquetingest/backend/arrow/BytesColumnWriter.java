package dev.parquetingest.backend.arrow;

import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
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

  /** Heap bytes a window of variable-width values takes at least (see {@link #slide}). */
  private static final int WINDOW = 64 * 1024;

  /** Fixed: the chunk's big-endian values; variable: a window of the chunk's value bytes. */
  private byte[] data = new byte[0];

  /** Variable-width: the loaded vector's data buffer, the end of its values and the window. */
  private ArrowBuf source;

  private int sourceEnd;
  private int windowStart;
  private int windowEnd;
  private byte[] offsetBytes = new byte[0];
  private byte[] wide = new byte[0];

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
    int offsetLength = (rows + 1) * 4;
    if (offsetBytes.length < offsetLength) {
      offsetBytes = new byte[Math.max(offsetLength, offsetBytes.length * 2)];
    }
    vector.getOffsetBuffer().getBytes(0, offsetBytes, 0, offsetLength);
    source = vector.getDataBuffer();
    sourceEnd = offset(rows);
    windowStart = 0;
    windowEnd = 0;
  }

  /**
   * Copies the chunk's value bytes from {@code from} to the heap window {@link #data}: at least to
   * {@code to}, else {@link #WINDOW} bytes (or to the chunk's end). The window, not the whole
   * chunk, is on the heap: a chunk of long texts costs one window, not its size.
   */
  private void slide(int from, int to) {
    int end = (int) Math.min(sourceEnd, Math.max((long) to, (long) from + WINDOW));
    int n = end - from;
    if (data.length < n) {
      data = new byte[Math.max(n, WINDOW)];
    }
    source.getBytes(from, data, 0, n);
    windowStart = from;
    windowEnd = end;
  }

  private int offset(int row) {
    return (int) ByteBuilder.INT.get(offsetBytes, row << 2);
  }

  @Override
  void write(int from, int to) {
    for (int i = from; i < to; i++) {
      if (isNull(i)) {
        addNull();
      } else {
        int off;
        int len;
        if (fixed) {
          len = fixedLength;
          off = i * len;
          pageRawBytes += len;
        } else {
          off = offset(i);
          len = offset(i + 1) - off;
          pageRawBytes += len + 4;
          unencoded += len;
          if (off + len > windowEnd || off < windowStart) {
            slide(off, off + len);
          }
          off -= windowStart;
        }
        byte[] d = data;
        pageValues++;
        if (dictionaryActive) {
          int before = dictionary.size();
          int id = dictionary.add(d, off, len, BytesDictionary.hash(d, off, len));
          if (id >= seenInPage.length) {
            seenInPage = Arrays.copyOf(seenInPage, Math.max(id + 1, seenInPage.length * 2));
          }
          if (seenInPage[id] != pageNumber) {
            seenInPage[id] = pageNumber;
            updateStatsWithId(id);
          }
          addId(id, dictionary.size() != before ? 4L + len : 0);
        } else {
          if (!fixed) {
            plain.writeInt(len);
          }
          plain.write(d, off, len);
          updateStats(d, off, len);
        }
      }
      if (pageFull()) {
        writePage();
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
    source = null;
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
        + offsetBytes.length
        + wide.length
        + seenInPage.length * 4L
        + min.length
        + max.length
        + dictionary.allocatedBytes();
  }
}
