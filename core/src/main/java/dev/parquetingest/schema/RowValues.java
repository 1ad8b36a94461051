package dev.parquetingest.schema;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * {@link MutableRow}'s conversions and checks: which setter a column takes, a date, timestamp or
 * decimal turned into what the row stores (refused with a message naming the column, its type and
 * the value), and a stored value boxed back as {@link Row#get(int)} describes.
 */
final class RowValues {
  private RowValues() {}

  /** Per column, the kind whose setter fits it (DATE and timestamps share INT32's and INT64's). */
  static TypeKind[] setterKinds(Schema schema) {
    TypeKind[] setter = new TypeKind[schema.size()];
    for (int i = 0; i < setter.length; i++) {
      ColumnType type = schema.field(i).type();
      switch (type.kind()) {
        case DATE:
          setter[i] = TypeKind.INT32;
          break;
        case TIMESTAMP_MILLIS:
        case TIMESTAMP_MICROS:
          setter[i] = TypeKind.INT64;
          break;
        case BINARY:
          setter[i] = TypeKind.STRING;
          break;
        default:
          setter[i] = type.kind();
      }
    }
    return setter;
  }

  /** The error of calling {@code setterName} on a column whose type takes another setter. */
  static IllegalArgumentException mismatch(Field f, int column, String setterName) {
    return new IllegalArgumentException(
        "Cannot "
            + setterName
            + " on column '"
            + f.name()
            + "' (index "
            + column
            + "): its type is "
            + f.type()
            + "; use "
            + setterFor(f.type()));
  }

  private static String setterFor(ColumnType type) {
    switch (type.kind()) {
      case BOOLEAN:
        return "setBoolean";
      case INT32:
        return "setInt";
      case INT64:
        return "setLong";
      case FLOAT:
        return "setFloat";
      case DOUBLE:
        return "setDouble";
      case STRING:
        return "setString or setBytes";
      case BINARY:
        return "setBytes";
      case DATE:
        return "setDate (or setInt with days since 1970-01-01)";
      case TIMESTAMP_MILLIS:
        return "setTimestamp (or setLong with milliseconds since the epoch)";
      case TIMESTAMP_MICROS:
        return "setTimestamp (or setLong with microseconds since the epoch)";
      case DECIMAL:
        return "setDecimal or setUnscaledDecimal";
      default:
        throw new AssertionError(type);
    }
  }

  /** {@code value} as days since 1970-01-01, refused beyond the int32 days of a Parquet date. */
  static int epochDay(Field f, LocalDate value) {
    long days = value.toEpochDay();
    if (days != (int) days) {
      throw new IllegalArgumentException(
          cannotSet(f, value.toString(), "beyond the range of a Parquet date"));
    }
    return (int) days;
  }

  /**
   * {@code value} in the unit of {@code f}, a timestamp column, a finer part truncated toward the
   * past; refused where it does not fit the unit in 64 bits.
   */
  static long timestamp(Field f, Instant value) {
    try {
      return f.type().kind() == TypeKind.TIMESTAMP_MILLIS
          ? value.toEpochMilli()
          : Math.addExact(
              Math.multiplyExact(value.getEpochSecond(), 1_000_000L), value.getNano() / 1000);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          cannotSet(f, value.toString(), "beyond the range of its unit"));
    }
  }

  /**
   * {@code value} rescaled to the scale of {@code f}, a decimal column, without rounding.
   *
   * @throws ArithmeticException if it needs rounding or has more digits than the precision
   */
  static BigDecimal scaled(Field f, BigDecimal value) {
    ColumnType type = f.type();
    BigDecimal scaled;
    try {
      scaled = value.setScale(type.scale(), RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw new ArithmeticException(
          cannotSet(
              f,
              value.toPlainString(),
              "it has more than " + type.scale() + " fraction digits and would need rounding"));
    }
    if (scaled.precision() > type.precision()) {
      throw new ArithmeticException(
          cannotSet(f, value.toPlainString(), "more than " + type.precision() + " digits"));
    }
    return scaled;
  }

  /** {@code Cannot set column '<name>' (<type>) to <value>: <why>}. */
  private static String cannotSet(Field f, String value, String why) {
    return "Cannot set column '" + f.name() + "' (" + f.type() + ") to " + value + ": " + why;
  }

  /** Refuses an unscaled long for a decimal column too precise to hold its value in one. */
  static void checkUnscaled(Field f) {
    if (f.type().precision() > ColumnType.MAX_LONG_DECIMAL_PRECISION) {
      throw new IllegalArgumentException(
          "Cannot setUnscaledDecimal on column '"
              + f.name()
              + "' ("
              + f.type()
              + "): precision above "
              + ColumnType.MAX_LONG_DECIMAL_PRECISION
              + "; use setDecimal");
    }
  }

  /** {@link MutableRow#boxed(Row, int)}. */
  static Object boxed(Row row, int column) {
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
