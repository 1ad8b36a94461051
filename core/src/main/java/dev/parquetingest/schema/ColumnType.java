package dev.parquetingest.schema;

import java.util.Locale;
import java.util.Objects;

/**
 * The type of a column: a {@link TypeKind} plus its parameters (timestamp zone semantics, decimal
 * precision and scale).
 *
 * <p>Immutable and thread-safe. Obtain instances through the static factories.
 */
public final class ColumnType {
  /** The largest decimal precision supported (what fits in 16 bytes). */
  public static final int MAX_DECIMAL_PRECISION = 38;

  /** Decimals up to this precision are stored as an unscaled {@code long}. */
  public static final int MAX_LONG_DECIMAL_PRECISION = 18;

  private static final ColumnType BOOLEAN = new ColumnType(TypeKind.BOOLEAN, true, 0, 0);
  private static final ColumnType INT32 = new ColumnType(TypeKind.INT32, true, 0, 0);
  private static final ColumnType INT64 = new ColumnType(TypeKind.INT64, true, 0, 0);
  private static final ColumnType FLOAT = new ColumnType(TypeKind.FLOAT, true, 0, 0);
  private static final ColumnType DOUBLE = new ColumnType(TypeKind.DOUBLE, true, 0, 0);
  private static final ColumnType STRING = new ColumnType(TypeKind.STRING, true, 0, 0);
  private static final ColumnType BINARY = new ColumnType(TypeKind.BINARY, true, 0, 0);
  private static final ColumnType DATE = new ColumnType(TypeKind.DATE, true, 0, 0);

  private final TypeKind kind;
  private final boolean utcAdjusted;
  private final int precision;
  private final int scale;

  private ColumnType(TypeKind kind, boolean utcAdjusted, int precision, int scale) {
    this.kind = kind;
    this.utcAdjusted = utcAdjusted;
    this.precision = precision;
    this.scale = scale;
  }

  public static ColumnType booleanType() {
    return BOOLEAN;
  }

  public static ColumnType int32() {
    return INT32;
  }

  public static ColumnType int64() {
    return INT64;
  }

  public static ColumnType float32() {
    return FLOAT;
  }

  public static ColumnType float64() {
    return DOUBLE;
  }

  public static ColumnType string() {
    return STRING;
  }

  public static ColumnType binary() {
    return BINARY;
  }

  public static ColumnType date() {
    return DATE;
  }

  /**
   * A timestamp in milliseconds.
   *
   * @param utcAdjusted true for an instant (UTC-normalised), false for a local date-time
   */
  public static ColumnType timestampMillis(boolean utcAdjusted) {
    return new ColumnType(TypeKind.TIMESTAMP_MILLIS, utcAdjusted, 0, 0);
  }

  /**
   * A timestamp in microseconds.
   *
   * @param utcAdjusted true for an instant (UTC-normalised), false for a local date-time
   */
  public static ColumnType timestampMicros(boolean utcAdjusted) {
    return new ColumnType(TypeKind.TIMESTAMP_MICROS, utcAdjusted, 0, 0);
  }

  /**
   * A decimal.
   *
   * @throws IllegalArgumentException if precision is not within 1..38 or scale not within
   *     0..precision
   */
  public static ColumnType decimal(int precision, int scale) {
    if (precision < 1 || precision > MAX_DECIMAL_PRECISION) {
      throw new IllegalArgumentException(
          "Cannot create decimal(" + precision + "," + scale + "): precision must be 1..38");
    }
    if (scale < 0 || scale > precision) {
      throw new IllegalArgumentException(
          "Cannot create decimal(" + precision + "," + scale + "): scale must be 0..precision");
    }
    return new ColumnType(TypeKind.DECIMAL, true, precision, scale);
  }

  public TypeKind kind() {
    return kind;
  }

  /** For timestamps: whether the value is an instant (true) or a local date-time (false). */
  public boolean utcAdjusted() {
    return utcAdjusted;
  }

  /** For decimals: the number of digits; 0 otherwise. */
  public int precision() {
    return precision;
  }

  /** For decimals: the digits after the point; 0 otherwise. */
  public int scale() {
    return scale;
  }

  /** True for kinds whose value is read through {@link Row#bytes(int)}. */
  public boolean isBytes() {
    return kind == TypeKind.STRING || kind == TypeKind.BINARY;
  }

  /** The name used in schema files and messages, e.g. {@code decimal(10,2)}. */
  @Override
  public String toString() {
    switch (kind) {
      case TIMESTAMP_MILLIS:
        return utcAdjusted ? "timestamp(millis)" : "timestamp(millis,local)";
      case TIMESTAMP_MICROS:
        return utcAdjusted ? "timestamp(micros)" : "timestamp(micros,local)";
      case DECIMAL:
        return "decimal(" + precision + "," + scale + ")";
      default:
        return kind.name().toLowerCase(Locale.ROOT);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ColumnType)) {
      return false;
    }
    ColumnType that = (ColumnType) o;
    return kind == that.kind
        && utcAdjusted == that.utcAdjusted
        && precision == that.precision
        && scale == that.scale;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, utcAdjusted, precision, scale);
  }
}
