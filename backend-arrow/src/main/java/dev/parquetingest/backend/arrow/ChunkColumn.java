package dev.parquetingest.backend.arrow;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.Field;
import dev.parquetingest.schema.Row;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TimeStampMilliTZVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * One column of the chunk: an Arrow vector of the column's type that rows are appended to, which
 * {@link ColumnChunkWriter} then encodes a chunk at a time. The Arrow types follow the schema (DATE
 * as {@code DateDay}, timestamps with their unit and, when UTC-adjusted, zone UTC, every decimal as
 * a 128-bit {@code Decimal}); values reach Parquet exactly as the parquet-mr backend writes them.
 *
 * <p>Lifecycle: created with its vector allocated for one chunk; {@link #append} rows at indices 0,
 * 1, 2, ... in order (or {@link ChunkRows#append} whole rows to all the chunk's columns); {@link
 * #seal} with the row count; encode the {@link #vector}; {@link #reset} for the next chunk (the
 * buffers are kept and reused); {@link #close} releases them. Not thread-safe.
 */
abstract class ChunkColumn implements AutoCloseable {
  private static final boolean LITTLE_ENDIAN =
      java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;

  static final int KIND_OTHER = 0;
  static final int KIND_INT = 1;
  static final int KIND_LONG = 2;
  static final int KIND_FLOAT = 3;
  static final int KIND_DOUBLE = 4;
  static final int KIND_BYTES = 5;
  static final int KIND_BOOLEAN = 6;

  final FieldVector vector;

  /** Which branch of {@link #append} writes a value. */
  private final int kind;

  /** The chunk's validity bits, 64 a word, until {@link #seal} stores them into the vector. */
  long[] valid = new long[0];

  /** The rows the buffers were allocated for: appends beyond are refused. */
  int capacity;

  long validityAddress;
  long dataAddress;

  private ChunkColumn(FieldVector vector, int kind) {
    this.vector = vector;
    this.kind = kind;
  }

  /** A column for {@code field}, its vector allocated in {@code allocator} for {@code rows}. */
  static ChunkColumn of(Field field, BufferAllocator allocator, int rows) {
    String name = field.name();
    ColumnType type = field.type();
    ChunkColumn column;
    switch (type.kind()) {
      case BOOLEAN:
        column = new Booleans(new BitVector(name, allocator));
        break;
      case INT32:
        column = new Ints(new IntVector(name, allocator));
        break;
      case DATE:
        column = new Ints(new DateDayVector(name, allocator));
        break;
      case INT64:
        column = new Longs(new BigIntVector(name, allocator));
        break;
      case TIMESTAMP_MILLIS:
        column =
            new Longs(
                type.utcAdjusted()
                    ? new TimeStampMilliTZVector(name, allocator, "UTC")
                    : new TimeStampMilliVector(name, allocator));
        break;
      case TIMESTAMP_MICROS:
        column =
            new Longs(
                type.utcAdjusted()
                    ? new TimeStampMicroTZVector(name, allocator, "UTC")
                    : new TimeStampMicroVector(name, allocator));
        break;
      case FLOAT:
        column = new Floats(new Float4Vector(name, allocator));
        break;
      case DOUBLE:
        column = new Doubles(new Float8Vector(name, allocator));
        break;
      case STRING:
        column = new Bytes(new VarCharVector(name, allocator));
        break;
      case BINARY:
        column = new Bytes(new VarBinaryVector(name, allocator));
        break;
      case DECIMAL:
        DecimalVector decimals = new DecimalVector(name, allocator, type.precision(), type.scale());
        if (type.precision() <= ColumnType.MAX_LONG_DECIMAL_PRECISION) {
          column = new LongDecimals(decimals);
        } else {
          column = new WideDecimals(decimals);
        }
        break;
      default:
        throw new AssertionError(type);
    }
    try {
      column.vector.setInitialCapacity(rows);
      column.vector.allocateNew();
      if (column.vector.getValueCapacity() < rows) {
        throw new IllegalStateException(
            "Cannot allocate a chunk column of "
                + rows
                + " rows: Arrow gave "
                + column.vector.getValueCapacity());
      }
      column.capacity = rows;
      column.valid = new long[(rows + 63) >>> 6];
      column.addresses();
    } catch (RuntimeException e) {
      column.close();
      throw e;
    }
    return column;
  }

  /**
   * Appends row {@code row}'s value of column {@code column} at {@code index}. Values are written
   * straight into the vector's buffers at computed addresses, without Arrow's per-value setters
   * (their capacity, bounds and reference-count checks cost about a fifth of the writer's time):
   * the bounds are this class's own, checked once per value against the capacity the buffers were
   * allocated with, so correctness does not depend on Arrow's checks being enabled. Validity bits
   * (and boolean values) are gathered in heap words and stored into the vector by {@link #seal}, 64
   * at a time, instead of a read-modify-write of one off-heap byte per value. The common types are
   * written by a switch on the column's kind to their {@code put} method (which {@link ChunkRows}
   * calls directly, a loop per kind) rather than a virtual call per value. Nulls leave the validity
   * bit 0.
   *
   * @return the bytes of variable-width data appended (0 for fixed-width values and nulls)
   * @throws IndexOutOfBoundsException if {@code index} is not below the rows the column was
   *     allocated for
   */
  final int append(Row row, int column, int index) {
    if (index >= capacity || index < 0) {
      throw new IndexOutOfBoundsException(
          "Cannot append row " + index + " to a chunk column of " + capacity + " rows");
    }
    switch (kind) {
      case KIND_INT:
        putInt(row, column, index);
        return 0;
      case KIND_LONG:
        putLong(row, column, index);
        return 0;
      case KIND_FLOAT:
        putFloat(row, column, index);
        return 0;
      case KIND_DOUBLE:
        putDouble(row, column, index);
        return 0;
      case KIND_BYTES:
        return ((Bytes) this).put(row, column, index);
      case KIND_BOOLEAN:
        ((Booleans) this).put(row, column, index);
        return 0;
      default:
        if (row.isNull(column)) {
          return 0;
        }
        valid[index >>> 6] |= 1L << index;
        return appendValue(row, column, index);
    }
  }

  /** The kind of column: which of the {@code put} methods writes its values. */
  final int kind() {
    return kind;
  }

  // The put methods below append one value without checking index against the capacity: their
  // caller (append, or ChunkRows once per row) has. Each is written for one kind of column only.

  /** INT32 and DATE: row {@code row}'s int at {@code index}; index checked by the caller. */
  final void putInt(Row row, int column, int index) {
    if (!row.isNull(column)) {
      valid[index >>> 6] |= 1L << index;
      MemoryUtil.putInt(dataAddress + ((long) index << 2), row.getInt(column));
    }
  }

  /** INT64 and timestamps: the long at {@code index}; index checked by the caller. */
  final void putLong(Row row, int column, int index) {
    if (!row.isNull(column)) {
      valid[index >>> 6] |= 1L << index;
      MemoryUtil.putLong(dataAddress + ((long) index << 3), row.getLong(column));
    }
  }

  /** FLOAT: the raw bits at {@code index}; index checked by the caller. */
  final void putFloat(Row row, int column, int index) {
    if (!row.isNull(column)) {
      valid[index >>> 6] |= 1L << index;
      MemoryUtil.putInt(
          dataAddress + ((long) index << 2), Float.floatToRawIntBits(row.getFloat(column)));
    }
  }

  /** DOUBLE: the raw bits at {@code index}; index checked by the caller. */
  final void putDouble(Row row, int column, int index) {
    if (!row.isNull(column)) {
      valid[index >>> 6] |= 1L << index;
      MemoryUtil.putLong(
          dataAddress + ((long) index << 3), Double.doubleToRawLongBits(row.getDouble(column)));
    }
  }

  /** Writes a value of a kind {@link #append} does not write itself. */
  int appendValue(Row row, int column, int index) {
    throw new AssertionError(kind);
  }

  /**
   * Marks {@code rows} values as the chunk's content, before they are read back: the validity words
   * are stored into the vector's validity buffer.
   */
  void seal(int rows) {
    store(valid, validityAddress, rows);
    vector.setValueCount(rows);
  }

  /**
   * Stores the first {@code rows} bits of {@code words} at {@code address} in Arrow's bit order
   * (bit i of the buffer is bit i % 8 of byte i / 8: a little-endian word holds 64 of them).
   */
  static void store(long[] words, long address, int rows) {
    int bytes = (rows + 7) >>> 3;
    int full = bytes >>> 3;
    for (int w = 0; w < full; w++) {
      long v = words[w];
      MemoryUtil.putLong(address + ((long) w << 3), LITTLE_ENDIAN ? v : Long.reverseBytes(v));
    }
    if (full << 3 < bytes) {
      long v = words[full];
      for (int b = full << 3; b < bytes; b++, v >>>= 8) {
        MemoryUtil.putByte(address + b, (byte) v);
      }
    }
  }

  /** Empties the vector for the next chunk, keeping its buffers (zeroed). */
  void reset() {
    vector.reset();
    java.util.Arrays.fill(valid, 0L);
    addresses();
  }

  /** Reads the buffers' addresses (after allocation, reset or reallocation). */
  void addresses() {
    validityAddress = vector.getValidityBuffer().memoryAddress();
    dataAddress = vector.getDataBuffer().memoryAddress();
  }

  @Override
  public final void close() {
    vector.close();
  }

  /**
   * BOOLEAN: the values' bits gathered in heap words like the validity bits and stored by {@link
   * #seal}.
   */
  static final class Booleans extends ChunkColumn {
    long[] bits = new long[0];

    Booleans(BitVector v) {
      super(v, KIND_BOOLEAN);
    }

    /** The value's bit at {@code index}; index checked by the caller. */
    void put(Row row, int column, int index) {
      if (!row.isNull(column)) {
        long bit = 1L << index;
        valid[index >>> 6] |= bit;
        if (row.getBoolean(column)) {
          bits[index >>> 6] |= bit;
        }
      }
    }

    @Override
    void seal(int rows) {
      store(bits, dataAddress, rows);
      super.seal(rows);
    }

    @Override
    void reset() {
      super.reset();
      java.util.Arrays.fill(bits, 0L);
    }

    @Override
    void addresses() {
      super.addresses();
      if (bits.length != valid.length) {
        bits = new long[valid.length];
      }
    }
  }

  /** INT32 and DATE (days): 4 bytes a value, written by {@link #append}. */
  private static final class Ints extends ChunkColumn {
    Ints(FieldVector v) {
      super(v, KIND_INT);
    }
  }

  /** INT64 and timestamps: 8 bytes a value, written by {@link #append}. */
  private static final class Longs extends ChunkColumn {
    Longs(FieldVector v) {
      super(v, KIND_LONG);
    }
  }

  /** FLOAT: the raw bits, written by {@link #append}. */
  private static final class Floats extends ChunkColumn {
    Floats(Float4Vector v) {
      super(v, KIND_FLOAT);
    }
  }

  /** DOUBLE: the raw bits, written by {@link #append}. */
  private static final class Doubles extends ChunkColumn {
    Doubles(Float8Vector v) {
      super(v, KIND_DOUBLE);
    }
  }

  /**
   * STRING and BINARY: the bytes as they are. The offsets are written here (a null repeats the
   * previous end), the data buffer grows by Arrow's reallocation when a value does not fit.
   */
  static final class Bytes extends ChunkColumn {
    /** Values up to this many bytes are copied by {@link #copyWords} where there is room. */
    static final int WORDS_BYTES = 32;

    private final BaseVariableWidthVector bytes;
    private long offsetAddress;
    private long dataCapacity;

    /** The end of the data written so far, the next value's start offset. */
    private int end;

    Bytes(BaseVariableWidthVector v) {
      super(v, KIND_BYTES);
      this.bytes = v;
    }

    /**
     * The value's bytes and end offset at {@code index} (a null repeats the previous end); index
     * checked by the caller.
     *
     * @return the bytes appended
     */
    int put(Row row, int column, int index) {
      if (row.isNull(column)) {
        MemoryUtil.putInt(offsetAddress + ((long) (index + 1) << 2), end);
        return 0;
      }
      valid[index >>> 6] |= 1L << index;
      int length = row.bytesLength(column);
      byte[] src = row.bytes(column);
      int offset = row.bytesOffset(column);
      int at = end;
      if (length >= 0
          && length <= WORDS_BYTES
          && at + (long) WORDS_BYTES <= dataCapacity
          && offset >= 0
          && offset <= src.length - WORDS_BYTES) {
        copyWords(src, offset, dataAddress + at);
        int newEnd = at + length;
        end = newEnd;
        MemoryUtil.putInt(offsetAddress + ((long) (index + 1) << 2), newEnd);
        return length;
      }
      return putOther(src, offset, length, index);
    }

    /**
     * {@link #put} for a value that the word copy does not take (longer than {@link #WORDS_BYTES},
     * too near the end of its source array, or past the data buffer's room). Kept out of {@code
     * put}, so that {@code put}'s compiled code stays small enough for the JIT to inline it into
     * {@link ChunkRows#append}'s loop: with this path in it, it was "already compiled into a big
     * method" and called once per string value.
     */
    private int putOther(byte[] src, int offset, int length, int index) {
      int at = end;
      long newEnd = (long) at + length;
      if (newEnd > dataCapacity) {
        grow(newEnd);
      }
      copy(src, offset, dataAddress + at, length);
      end = (int) newEnd;
      MemoryUtil.putInt(offsetAddress + ((long) (index + 1) << 2), (int) newEnd);
      return length;
    }

    /**
     * Copies {@link #WORDS_BYTES} bytes from {@code src[offset]} to {@code address} as four 8-byte
     * words, unchecked: the caller has checked that the source array holds them and that the data
     * buffer has room for them at {@code address}. A value of up to that many bytes is copied this
     * way with its following source bytes, which land in the free space after the value and are
     * overwritten by the next value or lie beyond the chunk's last offset (no reader of the vector
     * looks there). One check instead of one per word, and no branch on the value's length.
     */
    private static void copyWords(byte[] src, int offset, long address) {
      MemoryUtil.putLong(address, MemoryUtil.getLong(src, offset));
      MemoryUtil.putLong(address + 8, MemoryUtil.getLong(src, offset + 8));
      MemoryUtil.putLong(address + 16, MemoryUtil.getLong(src, offset + 16));
      MemoryUtil.putLong(address + 24, MemoryUtil.getLong(src, offset + 24));
    }

    /**
     * Copies {@code length} bytes from {@code src[offset]} to {@code address}. Values of up to 32
     * bytes (most strings) are moved as two or four overlapping 4- or 8-byte words (the first and
     * last 8 or 16 bytes), read from the array with bounds checks and written inside the value's
     * own range: cheaper than {@code Unsafe.copyMemory}'s checks and call for a few bytes.
     */
    static void copy(byte[] src, int offset, long address, int length) {
      if (length >= 8) {
        if (length <= 16) {
          MemoryUtil.putLong(address, (long) ByteBuilder.LONG.get(src, offset));
          MemoryUtil.putLong(
              address + length - 8, (long) ByteBuilder.LONG.get(src, offset + length - 8));
        } else if (length <= 32) {
          int last = offset + length - 16;
          long lastAddress = address + length - 16;
          MemoryUtil.putLong(address, (long) ByteBuilder.LONG.get(src, offset));
          MemoryUtil.putLong(address + 8, (long) ByteBuilder.LONG.get(src, offset + 8));
          MemoryUtil.putLong(lastAddress, (long) ByteBuilder.LONG.get(src, last));
          MemoryUtil.putLong(lastAddress + 8, (long) ByteBuilder.LONG.get(src, last + 8));
        } else {
          MemoryUtil.copyToMemory(src, offset, address, length);
        }
      } else if (length >= 4) {
        MemoryUtil.putInt(address, (int) ByteBuilder.INT.get(src, offset));
        MemoryUtil.putInt(
            address + length - 4, (int) ByteBuilder.INT.get(src, offset + length - 4));
      } else {
        for (int i = 0; i < length; i++) {
          MemoryUtil.putByte(address + i, src[offset + i]);
        }
      }
    }

    private void grow(long need) {
      if (need > Integer.MAX_VALUE) {
        throw new IllegalStateException(
            "Cannot buffer more than 2 GB of values of column '"
                + vector.getName()
                + "' in one chunk: lower the chunk rows");
      }
      bytes.reallocDataBuffer(need);
      addresses();
    }

    @Override
    void seal(int rows) {
      bytes.setLastSet(rows - 1);
      super.seal(rows);
    }

    @Override
    void reset() {
      super.reset();
      end = 0;
    }

    @Override
    void addresses() {
      super.addresses();
      offsetAddress = bytes.getOffsetBuffer().memoryAddress();
      dataCapacity = bytes.getDataBuffer().capacity();
    }
  }

  /**
   * Decimals of precision up to 18 (written as Parquet INT32 or INT64 of the unscaled value): the
   * unscaled long as Arrow's 16-byte little-endian two's complement.
   */
  private static final class LongDecimals extends ChunkColumn {
    LongDecimals(DecimalVector v) {
      super(v, KIND_OTHER);
    }

    @Override
    int appendValue(Row row, int column, int index) {
      long value = row.getLong(column);
      long at = dataAddress + ((long) index << 4);
      MemoryUtil.putLong(at, value);
      MemoryUtil.putLong(at + 8, value >> 63);
      return 0;
    }
  }

  /**
   * Decimals of precision 19 to 38: Parquet FIXED_LEN_BYTE_ARRAY, big-endian, of the fewest bytes
   * that hold the precision, taken from the vector's little-endian 16 bytes when encoded.
   */
  private static final class WideDecimals extends ChunkColumn {
    private final DecimalVector decimals;

    WideDecimals(DecimalVector v) {
      super(v, KIND_OTHER);
      this.decimals = v;
    }

    @Override
    int appendValue(Row row, int column, int index) {
      decimals.setBigEndian(index, row.getDecimal(column).unscaledValue().toByteArray());
      return 0;
    }
  }
}
