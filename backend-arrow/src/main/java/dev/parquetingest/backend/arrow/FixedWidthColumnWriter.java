package dev.parquetingest.backend.arrow;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
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

  /**
   * The loaded vector's data buffer: its address, the bytes from one value to the next (4, 8, or 16
   * for a decimal, whose low 4 or 8 bytes are the value) and the rows it holds. Values are read
   * where Arrow holds them.
   */
  private long dataAddress;

  private final int stride;
  private int rows;

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
    this.stride =
        source == Source.FIXED4
            ? 4
            : source == Source.FIXED8
                ? 8
                : 16; // DecimalVector: 16-byte little-endian two's complement
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
    ArrowBuf buffer = vector.getDataBuffer();
    if (buffer.capacity() < (long) rows * stride) {
      throw new IllegalStateException(
          "Cannot encode " + rows + " values of column " + descriptor + ": the buffer is short");
    }
    this.dataAddress = buffer.memoryAddress();
    this.rows = rows;
  }

  @Override
  void write(int from, int to) {
    if (from < 0 || to > rows) {
      throw new IndexOutOfBoundsException(
          "Cannot encode rows " + from + " to " + to + " of a chunk of " + rows);
    }
    long base = dataAddress;
    long step = stride;
    boolean narrow = width == 4;
    for (int i = from; i < to; i++) {
      if (isNull(i)) {
        addNull();
      } else {
        long at = base + i * step;
        long key = narrow ? (long) MemoryUtil.getInt(at) : MemoryUtil.getLong(at);
        updateStats(key);
        pageRawBytes += width;
        pageValues++;
        if (dictionaryActive) {
          int id = dictionary.find(key);
          long added = 0;
          if (id < 0) {
            id = dictionary.insert(key, -1 - id);
            added = width;
          }
          addId(id, added);
        } else if (narrow) {
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

  @Override
  void recycle() {
    super.recycle();
    dataAddress = 0;
    rows = 0;
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
    return dictionary.allocatedBytes();
  }
}
