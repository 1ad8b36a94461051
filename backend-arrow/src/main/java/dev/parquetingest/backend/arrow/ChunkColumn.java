package dev.parquetingest.backend.arrow;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.Field;
import dev.parquetingest.schema.Row;
import org.apache.arrow.memory.BufferAllocator;
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
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * One column of the chunk: an Arrow vector of the column's type that rows are appended to, which
 * {@link ColumnChunkWriter} then encodes a chunk at a time. The Arrow types follow the schema
 * (DATE as {@code DateDay}, timestamps with their unit and, when UTC-adjusted, zone UTC, every
 * decimal as a 128-bit {@code Decimal}); values reach Parquet exactly as the parquet-mr backend
 * writes them.
 *
 * <p>Lifecycle: created with its vector allocated for one chunk; {@link #append} rows at indices
 * 0, 1, 2, ... in order; {@link #seal} with the row count; encode the {@link #vector}; {@link #reset}
 * for the next chunk (the buffers are kept and reused); {@link #close} releases them. Not
 * thread-safe.
 */
abstract class ChunkColumn implements AutoCloseable {
  final FieldVector vector;

  private ChunkColumn(FieldVector vector) {
    this.vector = vector;
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
        column = new Dates(new DateDayVector(name, allocator));
        break;
      case INT64:
        column = new Longs(new BigIntVector(name, allocator));
        break;
      case TIMESTAMP_MILLIS:
        column =
            new Timestamps(
                type.utcAdjusted()
                    ? new TimeStampMilliTZVector(name, allocator, "UTC")
                    : new TimeStampMilliVector(name, allocator));
        break;
      case TIMESTAMP_MICROS:
        column =
            new Timestamps(
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
        DecimalVector decimals =
            new DecimalVector(name, allocator, type.precision(), type.scale());
        if (type.precision() <= 9) {
          column = new IntDecimals(decimals);
        } else if (type.precision() <= ColumnType.MAX_LONG_DECIMAL_PRECISION) {
          column = new LongDecimals(decimals);
        } else {
          column =
              new WideDecimals(decimals);
        }
        break;
      default:
        throw new AssertionError(type);
    }
    try {
      column.vector.setInitialCapacity(rows);
      column.vector.allocateNew();
    } catch (RuntimeException e) {
      column.close();
      throw e;
    }
    return column;
  }

  /**
   * Appends row {@code row}'s value (fixed-width vectors are allocated for the whole chunk, so
   * they are set without a capacity check) of column {@code column} at {@code index}.
   *
   * @return the bytes of variable-width data appended (0 for fixed-width values and nulls)
   */
  final int append(Row row, int column, int index) {
    if (row.isNull(column)) {
      vector.setNull(index);
      return 0;
    }
    return appendValue(row, column, index);
  }

  abstract int appendValue(Row row, int column, int index);

  /** Marks {@code rows} values as the chunk's content, before they are read back. */
  final void seal(int rows) {
    vector.setValueCount(rows);
  }

  /** Empties the vector for the next chunk, keeping its buffers. */
  final void reset() {
    vector.reset();
  }

  @Override
  public final void close() {
    vector.close();
  }

  private static final class Booleans extends ChunkColumn {
    private final BitVector bits;

    Booleans(BitVector v) {
      super(v);
      this.bits = v;
    }

    @Override
    int appendValue(Row row, int column, int index) {
      bits.set(index, row.getBoolean(column) ? 1 : 0);
      return 0;
    }
  }

  private static final class Ints extends ChunkColumn {
    private final IntVector ints;

    Ints(IntVector v) {
      super(v);
      this.ints = v;
    }

    @Override
    int appendValue(Row row, int column, int index) {
      ints.set(index, row.getInt(column));
      return 0;
    }
  }

  private static final class Dates extends ChunkColumn {
    private final DateDayVector days;

    Dates(DateDayVector v) {
      super(v);
      this.days = v;
    }

    @Override
    int appendValue(Row row, int column, int index) {
      days.set(index, row.getInt(column));
      return 0;
    }
  }

  private static final class Longs extends ChunkColumn {
    private final BigIntVector longs;

    Longs(BigIntVector v) {
      super(v);
      this.longs = v;
    }

    @Override
    int appendValue(Row row, int column, int index) {
      longs.set(index, row.getLong(column));
      return 0;
    }
  }

  private static final class Timestamps extends ChunkColumn {
    private final TimeStampVector times;

    Timestamps(TimeStampVector v) {
      super(v);
      this.times = v;
    }

    @Override
    int appendValue(Row row, int column, int index) {
      times.set(index, row.getLong(column));
      return 0;
    }
  }

  private static final class Floats extends ChunkColumn {
    private final Float4Vector floats;

    Floats(Float4Vector v) {
      super(v);
      this.floats = v;
    }

    @Override
    int appendValue(Row row, int column, int index) {
      floats.set(index, row.getFloat(column));
      return 0;
    }
  }

  private static final class Doubles extends ChunkColumn {
    private final Float8Vector doubles;

    Doubles(Float8Vector v) {
      super(v);
      this.doubles = v;
    }

    @Override
    int appendValue(Row row, int column, int index) {
      doubles.set(index, row.getDouble(column));
      return 0;
    }
  }

  /** STRING and BINARY: the bytes as they are. */
  private static final class Bytes extends ChunkColumn {
    private final BaseVariableWidthVector bytes;

    Bytes(BaseVariableWidthVector v) {
      super(v);
      this.bytes = v;
    }

    @Override
    int appendValue(Row row, int column, int index) {
      int length = row.bytesLength(column);
      bytes.setSafe(index, row.bytes(column), row.bytesOffset(column), length);
      return length;
    }
  }

  /** Decimals of precision up to 9: Parquet INT32 of the unscaled value. */
  private static final class IntDecimals extends ChunkColumn {
    private final DecimalVector decimals;

    IntDecimals(DecimalVector v) {
      super(v);
      this.decimals = v;
    }

    @Override
    int appendValue(Row row, int column, int index) {
      decimals.setSafe(index, row.getLong(column));
      return 0;
    }
  }

  /** Decimals of precision 10 to 18: Parquet INT64 of the unscaled value. */
  private static final class LongDecimals extends ChunkColumn {
    private final DecimalVector decimals;

    LongDecimals(DecimalVector v) {
      super(v);
      this.decimals = v;
    }

    @Override
    int appendValue(Row row, int column, int index) {
      decimals.setSafe(index, row.getLong(column));
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
      super(v);
      this.decimals = v;
    }

    @Override
    int appendValue(Row row, int column, int index) {
      decimals.setBigEndianSafe(index, row.getDecimal(column).unscaledValue().toByteArray());
      return 0;
    }
  }
}
