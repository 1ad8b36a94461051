package dev.parquetingest.schema;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * A reusable {@link Row} that sources fill in place, so that reading a record allocates nothing
 * once the byte buffers have grown to the largest value seen.
 *
 * <p>Not thread-safe. Values are kept until overwritten: call {@link #clear()} or set every column
 * for each record.
 */
public final class MutableRow implements Row {
  private static final int INITIAL_BYTES = 32;

  private final Schema schema;
  private final boolean[] nulls;
  private final long[] primitives;
  private final byte[][] bytes;

  /**
   * Per column, the array holding the value: the row's own buffer ({@link #bytes}) or one given to
   * {@link #setBytesReference}; the value starts at {@link #offsets}.
   */
  private final byte[][] values;

  private final int[] offsets;
  private final int[] lengths;
  private final BigDecimal[] decimals;

  /** Per column, the kind whose setter fits it (DATE and timestamps share INT32's and INT64's). */
  private final TypeKind[] setter;

  public MutableRow(Schema schema) {
    this.schema = schema;
    int n = schema.size();
    this.nulls = new boolean[n];
    this.primitives = new long[n];
    this.bytes = new byte[n][];
    this.values = new byte[n][];
    this.offsets = new int[n];
    this.lengths = new int[n];
    this.decimals = new BigDecimal[n];
    Arrays.fill(nulls, true);
    for (int i = 0; i < n; i++) {
      if (schema.field(i).type().isBytes()) {
        bytes[i] = new byte[INITIAL_BYTES];
        values[i] = bytes[i];
      }
    }
    this.setter = RowValues.setterKinds(schema);
  }

  /** Throws the mismatch unless {@code column}'s type takes {@code kind}'s setter. */
  private void check(int column, TypeKind kind, String setterName) {
    if (setter[column] != kind) {
      throw mismatch(column, setterName);
    }
  }

  private IllegalArgumentException mismatch(int column, String setterName) {
    return RowValues.mismatch(schema.field(column), column, setterName);
  }

  /** Copies every value of {@code other}, which must have the same schema. */
  public MutableRow copyFrom(Row other) {
    for (int i = 0; i < nulls.length; i++) {
      if (other.isNull(i)) {
        setNull(i);
        continue;
      }
      ColumnType type = schema.field(i).type();
      switch (type.kind()) {
        case BOOLEAN:
          setBoolean(i, other.getBoolean(i));
          break;
        case INT32:
        case DATE:
          setInt(i, other.getInt(i));
          break;
        case INT64:
        case TIMESTAMP_MILLIS:
        case TIMESTAMP_MICROS:
          setLong(i, other.getLong(i));
          break;
        case FLOAT:
          setFloat(i, other.getFloat(i));
          break;
        case DOUBLE:
          setDouble(i, other.getDouble(i));
          break;
        case STRING:
        case BINARY:
          setBytes(i, other.bytes(i), other.bytesOffset(i), other.bytesLength(i));
          break;
        case DECIMAL:
          setDecimal(i, other.getDecimal(i));
          break;
        default:
          throw new AssertionError(type);
      }
    }
    return this;
  }

  /** Sets every column to null. */
  public void clear() {
    Arrays.fill(nulls, true);
  }

  public void setNull(int column) {
    nulls[column] = true;
  }

  /**
   * @throws IllegalArgumentException if the column is not boolean (the message names it and its
   *     type; so for every setter below)
   */
  public void setBoolean(int column, boolean value) {
    check(column, TypeKind.BOOLEAN, "setBoolean");
    nulls[column] = false;
    primitives[column] = value ? 1 : 0;
  }

  /** An int32 value, or a date as days since 1970-01-01. */
  public void setInt(int column, int value) {
    check(column, TypeKind.INT32, "setInt");
    nulls[column] = false;
    primitives[column] = value;
  }

  /** An int64 value, or a timestamp in the column's unit (milliseconds or microseconds). */
  public void setLong(int column, long value) {
    check(column, TypeKind.INT64, "setLong");
    nulls[column] = false;
    primitives[column] = value;
  }

  public void setFloat(int column, float value) {
    check(column, TypeKind.FLOAT, "setFloat");
    nulls[column] = false;
    primitives[column] = Float.floatToRawIntBits(value);
  }

  public void setDouble(int column, double value) {
    check(column, TypeKind.DOUBLE, "setDouble");
    nulls[column] = false;
    primitives[column] = Double.doubleToRawLongBits(value);
  }

  /**
   * Sets a date column; null sets it to null.
   *
   * @throws IllegalArgumentException if the column is not a date, or the date is beyond the int32
   *     days a Parquet date holds
   */
  public void setDate(int column, LocalDate value) {
    if (schema.field(column).type().kind() != TypeKind.DATE) {
      throw mismatch(column, "setDate");
    }
    if (value == null) {
      setNull(column);
      return;
    }
    setInt(column, RowValues.epochDay(schema.field(column), value));
  }

  /**
   * Sets a timestamp column in its unit: milliseconds or microseconds since the epoch, a finer part
   * of {@code value} truncated toward the past (as {@link Instant#toEpochMilli()} does). For a
   * column that is not UTC-adjusted (a local timestamp) the instant's UTC wall time is stored. Null
   * sets the column to null.
   *
   * @throws IllegalArgumentException if the column is not a timestamp, or the instant does not fit
   *     its unit in 64 bits
   */
  public void setTimestamp(int column, Instant value) {
    TypeKind kind = schema.field(column).type().kind();
    if (kind != TypeKind.TIMESTAMP_MILLIS && kind != TypeKind.TIMESTAMP_MICROS) {
      throw mismatch(column, "setTimestamp");
    }
    if (value == null) {
      setNull(column);
      return;
    }
    setLong(column, RowValues.timestamp(schema.field(column), value));
  }

  /**
   * Sets a timestamp column from a wall time read as UTC (for a local timestamp column, the wall
   * time itself), in the column's unit as {@link #setTimestamp(int, Instant)} does.
   */
  public void setTimestamp(int column, LocalDateTime value) {
    setTimestamp(column, value == null ? null : value.toInstant(ZoneOffset.UTC));
  }

  /** Copies {@code length} bytes into the row's own buffer for the column. */
  public void setBytes(int column, byte[] source, int offset, int length) {
    byte[] target = bytesBuffer(column, length);
    System.arraycopy(source, offset, target, 0, length);
    setBytesLength(column, length);
  }

  /** Encodes the string as UTF-8 into the row's own buffer; null sets the column to null. */
  public void setString(int column, String value) {
    check(column, TypeKind.STRING, "setString");
    if (value == null) {
      setNull(column);
      return;
    }
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    setBytes(column, utf8, 0, utf8.length);
  }

  /**
   * Makes {@code length} bytes of {@code source} from {@code offset} the column's value without
   * copying them, for a source that already holds the value's bytes (a read buffer): the row only
   * references the range, so the caller must keep those bytes unchanged for as long as the row
   * holds this value, i.e. until the next record is read into the row. Everything that takes a row
   * ({@link dev.parquetingest.spi.Encoder#write}, transformers, partitioning, rejects) reads it
   * before the source reads the next record, and copies what it keeps. Setting the column again in
   * any way, {@link #setNull} or {@link #clear()} drops the reference; the row's own buffer ({@link
   * #bytesBuffer}) is left as it was.
   *
   * @throws IllegalArgumentException if the column is not string or binary
   */
  public void setBytesReference(int column, byte[] source, int offset, int length) {
    check(column, TypeKind.STRING, "setBytesReference");
    // a source hands the same buffer record after record: skip the store and its GC barrier
    if (values[column] != source) {
      values[column] = source;
    }
    offsets[column] = offset;
    lengths[column] = length;
    nulls[column] = false;
  }

  /**
   * The column's own buffer, grown to at least {@code capacity} bytes (keeping its content), for a
   * source that encodes a value in place; follow with {@link #setBytesLength}.
   */
  public byte[] bytesBuffer(int column, int capacity) {
    check(column, TypeKind.STRING, "set bytes");
    byte[] b = bytes[column];
    if (b.length < capacity) {
      b = Arrays.copyOf(b, Math.max(capacity, b.length * 2));
      bytes[column] = b;
    }
    return b;
  }

  /** Marks the first {@code length} bytes of {@link #bytesBuffer} as the column's value. */
  public void setBytesLength(int column, int length) {
    nulls[column] = false;
    values[column] = bytes[column];
    offsets[column] = 0;
    lengths[column] = length;
  }

  /**
   * Sets a decimal, rescaled to the column's scale without rounding ({@code 1.5} becomes {@code
   * 1.50} in a {@code decimal(10,2)} column; {@code 1.234} is refused); null sets the column to
   * null.
   *
   * @throws ArithmeticException if the value needs rounding to the column's scale or has more
   *     digits than its precision; the message names the column, its type and the value
   */
  public void setDecimal(int column, BigDecimal value) {
    check(column, TypeKind.DECIMAL, "setDecimal");
    if (value == null) {
      setNull(column);
      return;
    }
    ColumnType type = schema.field(column).type();
    BigDecimal scaled = RowValues.scaled(schema.field(column), value);
    nulls[column] = false;
    decimals[column] = scaled;
    if (type.precision() <= ColumnType.MAX_LONG_DECIMAL_PRECISION) {
      primitives[column] = scaled.unscaledValue().longValueExact();
    }
  }

  /** Sets a decimal of precision up to 18 from its unscaled value, without allocating. */
  public void setUnscaledDecimal(int column, long unscaled) {
    check(column, TypeKind.DECIMAL, "setUnscaledDecimal");
    RowValues.checkUnscaled(schema.field(column));
    nulls[column] = false;
    primitives[column] = unscaled;
    decimals[column] = null;
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public boolean isNull(int column) {
    return nulls[column];
  }

  @Override
  public boolean getBoolean(int column) {
    return primitives[column] != 0;
  }

  @Override
  public int getInt(int column) {
    return (int) primitives[column];
  }

  @Override
  public long getLong(int column) {
    return primitives[column];
  }

  @Override
  public float getFloat(int column) {
    return Float.intBitsToFloat((int) primitives[column]);
  }

  @Override
  public double getDouble(int column) {
    return Double.longBitsToDouble(primitives[column]);
  }

  @Override
  public byte[] bytes(int column) {
    return values[column];
  }

  @Override
  public int bytesOffset(int column) {
    return offsets[column];
  }

  @Override
  public int bytesLength(int column) {
    return lengths[column];
  }

  @Override
  public String getString(int column) {
    return new String(values[column], offsets[column], lengths[column], StandardCharsets.UTF_8);
  }

  @Override
  public BigDecimal getDecimal(int column) {
    BigDecimal d = decimals[column];
    if (d == null) {
      d = BigDecimal.valueOf(primitives[column], schema.field(column).type().scale());
      decimals[column] = d;
    }
    return d;
  }

  @Override
  public Object get(int column) {
    return boxed(this, column);
  }

  /** The boxed value of any row's column, as described in {@link Row#get(int)}. */
  public static Object boxed(Row row, int column) {
    return RowValues.boxed(row, column);
  }
}
