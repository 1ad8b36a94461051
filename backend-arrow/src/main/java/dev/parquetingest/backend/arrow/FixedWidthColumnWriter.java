package dev.parquetingest.backend.arrow;

import org.apache.arrow.vector.FieldVector;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.statistics.Statistics;

/**
 * INT32, INT64, FLOAT and DOUBLE columns (so also dates, timestamps and decimals of up to 18
 * digits). Values are keyed by their bits: a {@link LongDictionary} per column chunk while the
 * dictionary stays under the dictionary page size, PLAIN little-endian values after it, by the
 * fallback rule of {@link DictionaryColumnWriter}. Statistics follow parquet-java's orderings:
 * signed integers, floats by {@link Float#compare} / {@link Double#compare} with NaN counted apart.
 * Not thread-safe.
 */
final class FixedWidthColumnWriter extends DictionaryColumnWriter {
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
  private byte[] data = new byte[0];
  private byte[] wide = new byte[0];

  private final LongDictionary dictionary = new LongDictionary();

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
    super(descriptor, props, dictionary);
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
          addId(id, dictionary.size() != before ? width : 0);
        } else if (width == 4) {
          plain.writeInt((int) key);
        } else {
          plain.writeLong(key);
        }
      }
      if (pageFull()) {
        writePage(i + 1);
      }
    }
    levelsTo(to);
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

  /** A page is cut by its row limit or its size: at most {@code pageRowLimit} values. */
  @Override
  long plainPageBytes() {
    return Math.min(pageThreshold, (long) pageRowLimit * width);
  }

  @Override
  int dictionarySize() {
    return dictionary.size();
  }

  @Override
  void writePlain(int id, ByteBuilder out) {
    long key = dictionary.key(id);
    if (width == 4) {
      out.writeInt((int) key);
    } else {
      out.writeLong(key);
    }
  }

  @Override
  void clearDictionary() {
    dictionary.clear();
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
  void resetValuesPage() {
    hasValue = false;
    nans = 0;
  }

  @Override
  long valuesAllocatedBytes() {
    return data.length + wide.length + dictionary.allocatedBytes();
  }
}
