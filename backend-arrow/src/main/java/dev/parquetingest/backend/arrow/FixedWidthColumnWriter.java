package dev.parquetingest.backend.arrow;

import java.util.Arrays;
import org.apache.arrow.vector.FieldVector;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.statistics.Statistics;

/**
 * INT32, INT64, FLOAT and DOUBLE columns (so also dates, timestamps and decimals of up to 18
 * digits). Values are keyed by their bits: a {@link LongDictionary} per column chunk while the
 * dictionary stays under the dictionary page size, PLAIN little-endian values after it, with
 * parquet-java's fallback rule ({@code FallbackValuesWriter}): the chunk falls back to PLAIN for
 * good, re-encoding the open page, as soon as the dictionary passes the limit, or when the first
 * page's ids plus the dictionary are not smaller than its plain values. Statistics follow
 * parquet-java's orderings: signed integers, floats by {@link Float#compare} / {@link
 * Double#compare} with NaN counted apart. Not thread-safe.
 */
final class FixedWidthColumnWriter extends ColumnChunkWriter {
  /** Where the values sit in the Arrow vector. */
  enum Source {
    /** 4-byte values: IntVector, DateDayVector, Float4Vector. */
    FIXED4,
    /** 8-byte values: BigIntVector, TimeStamp vectors, Float8Vector. */
    FIXED8,
    /** The low 4 bytes of a DecimalVector's 16-byte little-endian value. */
    DECIMAL_AS_INT,
    /** The low 8 bytes of a DecimalVector's 16-byte little-endian value. */
    DECIMAL_AS_LONG
  }

  private enum Order {
    SIGNED,
    FLOAT,
    DOUBLE
  }

  private final Source source;
  private final int width;
  private final Order order;
  private final boolean dictionaryEnabled;
  private final long maxDictionaryBytes;

  private byte[] data = new byte[0];
  private byte[] wide = new byte[0];

  private final LongDictionary dictionary = new LongDictionary();
  private boolean dictionaryActive;
  private boolean firstPage = true;
  private long dictionaryBytes;
  private int lastUsedDictionarySize;
  private long lastUsedDictionaryBytes;
  private int[] ids = new int[256];
  private int idCount;
  private final ByteBuilder plain = new ByteBuilder(1024);

  private boolean hasValue;
  private long minL;
  private long maxL;
  private float minF;
  private float maxF;
  private double minD;
  private double maxD;
  private int nans;

  FixedWidthColumnWriter(
      ColumnDescriptor descriptor, ParquetProperties props, boolean dictionary, Source source) {
    super(descriptor, props);
    this.source = source;
    switch (descriptor.getPrimitiveType().getPrimitiveTypeName()) {
      case INT32:
        width = 4;
        order = Order.SIGNED;
        break;
      case INT64:
        width = 8;
        order = Order.SIGNED;
        break;
      case FLOAT:
        width = 4;
        order = Order.FLOAT;
        break;
      case DOUBLE:
        width = 8;
        order = Order.DOUBLE;
        break;
      default:
        throw new IllegalArgumentException(
            "Cannot write " + descriptor + " as a fixed-width column");
    }
    this.dictionaryEnabled = dictionary;
    this.dictionaryActive = dictionary;
    this.maxDictionaryBytes = props.getDictionaryPageSizeThreshold();
  }

  @Override
  void load(FieldVector vector, int rows) {
    loadValidity(vector, rows);
    int bytes = rows * width;
    if (data.length < bytes) {
      data = new byte[Math.max(bytes, data.length * 2)];
    }
    if (source == Source.FIXED4 || source == Source.FIXED8) {
      vector.getDataBuffer().getBytes(0, data, 0, bytes);
      return;
    }
    int all = rows * 16;
    if (wide.length < all) {
      wide = new byte[Math.max(all, wide.length * 2)];
    }
    vector.getDataBuffer().getBytes(0, wide, 0, all);
    for (int i = 0; i < rows; i++) {
      System.arraycopy(wide, i * 16, data, i * width, width);
    }
  }

  @Override
  void write(int from, int to) {
    byte[] d = data;
    for (int i = from; i < to; i++) {
      if (isNull(i)) {
        addNull();
      } else {
        long key =
            width == 4
                ? (long) (int) ByteBuilder.INT.get(d, i << 2)
                : (long) ByteBuilder.LONG.get(d, i << 3);
        updateStats(key);
        pageRawBytes += width;
        pageValues++;
        if (dictionaryActive) {
          int before = dictionary.size();
          int id = dictionary.add(key);
          if (idCount == ids.length) {
            ids = Arrays.copyOf(ids, idCount * 2);
          }
          ids[idCount++] = id;
          if (dictionary.size() != before) {
            dictionaryBytes += width;
            if (dictionaryBytes > maxDictionaryBytes) {
              fallBack();
            }
          }
        } else if (width == 4) {
          plain.writeInt((int) key);
        } else {
          plain.writeLong(key);
        }
      }
      if (pageFull()) {
        writePage();
      }
    }
  }

  private void updateStats(long key) {
    switch (order) {
      case SIGNED:
        if (!hasValue) {
          minL = key;
          maxL = key;
          hasValue = true;
        } else if (key < minL) {
          minL = key;
        } else if (key > maxL) {
          maxL = key;
        }
        break;
      case FLOAT:
        {
          float f = Float.intBitsToFloat((int) key);
          if (f != f) {
            nans++;
          } else if (!hasValue) {
            minF = f;
            maxF = f;
            hasValue = true;
          } else {
            if (Float.compare(f, minF) < 0) {
              minF = f;
            }
            if (Float.compare(f, maxF) > 0) {
              maxF = f;
            }
          }
          break;
        }
      default:
        {
          double v = Double.longBitsToDouble(key);
          if (v != v) {
            nans++;
          } else if (!hasValue) {
            minD = v;
            maxD = v;
            hasValue = true;
          } else {
            if (Double.compare(v, minD) < 0) {
              minD = v;
            }
            if (Double.compare(v, maxD) > 0) {
              maxD = v;
            }
          }
        }
    }
  }

  /** Re-encodes the open page's values as PLAIN; the rest of the chunk stays PLAIN. */
  private void fallBack() {
    dictionaryActive = false;
    for (int k = 0; k < idCount; k++) {
      long key = dictionary.key(ids[k]);
      if (width == 4) {
        plain.writeInt((int) key);
      } else {
        plain.writeLong(key);
      }
    }
    idCount = 0;
    if (lastUsedDictionarySize == 0) {
      dictionary.clear();
      dictionaryBytes = 0;
    }
  }

  @Override
  Encoding appendPageValues(ByteBuilder out) {
    if (dictionaryActive) {
      int start = out.size();
      int bitWidth = RleHybridEncoder.bitWidth(dictionary.size() - 1);
      out.writeByte(bitWidth);
      RleHybridEncoder.encode(ids, idCount, bitWidth, out);
      if (!firstPage || (out.size() - start) + dictionaryBytes < pageRawBytes) {
        firstPage = false;
        lastUsedDictionarySize = dictionary.size();
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
  Statistics<?> pageStatistics() {
    Statistics<?> s = Statistics.createStats(type);
    if (hasValue) {
      switch (order) {
        case SIGNED:
          if (width == 4) {
            s.updateStats((int) minL);
            s.updateStats((int) maxL);
          } else {
            s.updateStats(minL);
            s.updateStats(maxL);
          }
          break;
        case FLOAT:
          s.updateStats(minF);
          s.updateStats(maxF);
          break;
        default:
          s.updateStats(minD);
          s.updateStats(maxD);
      }
    }
    for (int k = 0; k < nans; k++) {
      if (order == Order.FLOAT) {
        s.updateStats(Float.NaN);
      } else {
        s.updateStats(Double.NaN);
      }
    }
    return s;
  }

  @Override
  void resetPage() {
    idCount = 0;
    plain.reset();
    hasValue = false;
    nans = 0;
  }

  @Override
  DictionaryPage takeDictionaryPage() {
    DictionaryPage page = null;
    if (lastUsedDictionarySize > 0) {
      ByteBuilder out = new ByteBuilder(lastUsedDictionarySize * width);
      for (int id = 0; id < lastUsedDictionarySize; id++) {
        long key = dictionary.key(id);
        if (width == 4) {
          out.writeInt((int) key);
        } else {
          out.writeLong(key);
        }
      }
      page =
          new DictionaryPage(
              BytesInput.from(out.array(), 0, out.size()), lastUsedDictionarySize, DICTIONARY);
    }
    dictionary.clear();
    dictionaryBytes = 0;
    lastUsedDictionarySize = 0;
    lastUsedDictionaryBytes = 0;
    dictionaryActive = dictionaryEnabled;
    firstPage = true;
    return page;
  }

  @Override
  long pendingDictionaryBytes() {
    return dictionaryActive ? dictionaryBytes : lastUsedDictionaryBytes;
  }

  @Override
  long allocatedBytes() {
    return data.length
        + wide.length
        + ids.length * 4L
        + plain.capacity()
        + dictionary.allocatedBytes();
  }
}
