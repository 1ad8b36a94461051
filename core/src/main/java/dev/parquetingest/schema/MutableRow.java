package dev.parquetingest.schema;

import java.math.BigDecimal;
import java.math.RoundingMode;
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
  private final int[] lengths;
  private final BigDecimal[] decimals;

  public MutableRow(Schema schema) {
    this.schema = schema;
    int n = schema.size();
    this.nulls = new boolean[n];
    this.primitives = new long[n];
    this.bytes = new byte[n][];
    this.lengths = new int[n];
    this.decimals = new BigDecimal[n];
    Arrays.fill(nulls, true);
    for (int i = 0; i < n; i++) {
      if (schema.field(i).type().isBytes()) {
        bytes[i] = new byte[INITIAL_BYTES];
      }
    }
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

  public void setBoolean(int column, boolean value) {
    nulls[column] = false;
    primitives[column] = value ? 1 : 0;
  }

  public void setInt(int column, int value) {
    nulls[column] = false;
    primitives[column] = value;
  }

  public void setLong(int column, long value) {
    nulls[column] = false;
    primitives[column] = value;
  }

  public void setFloat(int column, float value) {
    nulls[column] = false;
    primitives[column] = Float.floatToRawIntBits(value);
  }

  public void setDouble(int column, double value) {
    nulls[column] = false;
    primitives[column] = Double.doubleToRawLongBits(value);
  }

  /** Copies {@code length} bytes into the row's own buffer for the column. */
  public void setBytes(int column, byte[] source, int offset, int length) {
    byte[] target = bytesBuffer(column, length);
    System.arraycopy(source, offset, target, 0, length);
    setBytesLength(column, length);
  }

  /** Encodes the string as UTF-8 into the row's own buffer. */
  public void setString(int column, String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    setBytes(column, utf8, 0, utf8.length);
  }

  /**
   * The column's own buffer, grown to at least {@code capacity} bytes (keeping its content), for a
   * source that encodes a value in place; follow with {@link #setBytesLength}.
   */
  public byte[] bytesBuffer(int column, int capacity) {
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
    lengths[column] = length;
  }

  /**
   * Sets a decimal, rescaled to the column's scale.
   *
   * @throws ArithmeticException if the value needs rounding or exceeds the precision
   */
  public void setDecimal(int column, BigDecimal value) {
    ColumnType type = schema.field(column).type();
    BigDecimal scaled = value.setScale(type.scale(), RoundingMode.UNNECESSARY);
    if (scaled.precision() > type.precision()) {
      throw new ArithmeticException("value " + value.toPlainString() + " does not fit " + type);
    }
    nulls[column] = false;
    decimals[column] = scaled;
    if (type.precision() <= ColumnType.MAX_LONG_DECIMAL_PRECISION) {
      primitives[column] = scaled.unscaledValue().longValueExact();
    }
  }

  /** Sets a decimal of precision up to 18 from its unscaled value, without allocating. */
  public void setUnscaledDecimal(int column, long unscaled) {
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
    return bytes[column];
  }

  @Override
  public int bytesOffset(int column) {
    return 0;
  }

  @Override
  public int bytesLength(int column) {
    return lengths[column];
  }

  @Override
  public String getString(int column) {
    return new String(bytes[column], 0, lengths[column], StandardCharsets.UTF_8);
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
    if (row.isNull(column)) {
      return null;
    }
    ColumnType type = row.schema().field(column).type();
    switch (type.kind()) {
      case BOOLEAN:
        return row.getBoolean(column);
      case INT32:
        return row.getInt(column);
      case INT64:
        return row.getLong(column);
      case FLOAT:
        return row.getFloat(column);
      case DOUBLE:
        return row.getDouble(column);
      case STRING:
        return row.getString(column);
      case BINARY:
        {
          int off = row.bytesOffset(column);
          return Arrays.copyOfRange(row.bytes(column), off, off + row.bytesLength(column));
        }
      case DATE:
        return LocalDate.ofEpochDay(row.getInt(column));
      case TIMESTAMP_MILLIS:
        return timestamp(
            Math.floorDiv(row.getLong(column), 1000L),
            Math.floorMod(row.getLong(column), 1000L) * 1_000_000L,
            type.utcAdjusted());
      case TIMESTAMP_MICROS:
        return timestamp(
            Math.floorDiv(row.getLong(column), 1_000_000L),
            Math.floorMod(row.getLong(column), 1_000_000L) * 1000L,
            type.utcAdjusted());
      case DECIMAL:
        return row.getDecimal(column);
      default:
        throw new AssertionError(type);
    }
  }

  private static Object timestamp(long seconds, long nanos, boolean utc) {
    Instant instant = Instant.ofEpochSecond(seconds, nanos);
    return utc ? instant : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
