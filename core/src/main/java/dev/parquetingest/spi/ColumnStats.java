package dev.parquetingest.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * Statistics of one top-level column of a finished file, as an {@link Encoder} reports them in
 * {@link Encoder#columnStats()}: how many values the column holds and how many of them are null,
 * and the smallest and largest non-null value.
 *
 * <p>{@link #min()} and {@link #max()} are in the row model's value classes, the ones {@link
 * dev.parquetingest.schema.Row#get(int)} returns for the column's type: Boolean, Integer, Long,
 * Float, Double, String, {@link LocalDate} (date), {@link Instant} (UTC-adjusted timestamp), {@link
 * LocalDateTime} (local timestamp) or {@link BigDecimal} (decimal, at the column's scale). Values
 * are ordered as Parquet orders them: numbers and decimals by value (signed), booleans false before
 * true, strings by their UTF-8 bytes compared unsigned (which is code-point order, not {@link
 * String#compareTo}'s UTF-16 order).
 *
 * <p>Both are null together when the column has no non-null value, and when no bound can be given:
 *
 * <ul>
 *   <li>binary columns (bytes without an order that means anything to a reader of the manifest);
 *   <li>float and double columns holding a NaN: parquet-java leaves NaN out of its minimum and
 *       maximum (unless every value is NaN), while SQL engines such as DuckDB sort NaN above every
 *       number, so a bound that omits it would be wrong for them;
 *   <li>string columns whose smallest or largest value is not valid UTF-8.
 * </ul>
 *
 * <p>Float and double bounds hold in the IEEE 754 total order of {@link Double#compare}, where
 * {@code -0.0} sorts below {@code +0.0}: with parquet-java's statistics for that order (its default
 * for floating columns) they are the exact extremes, so a zero bound keeps its sign; statistics in
 * Parquet's older order widen a zero minimum to {@code -0.0} and a zero maximum to {@code +0.0}.
 * Both compare equal to either zero numerically.
 *
 * <p>Bounds are exact, not truncated: a column whose largest value is a long string reports all of
 * it.
 *
 * <p>Immutable and thread-safe.
 */
public final class ColumnStats {
  private final String column;
  private final long nullCount;
  private final long valueCount;
  private final Object min;
  private final Object max;

  /**
   * Creates the statistics of one column.
   *
   * @param column the top-level column's name in the schema
   * @param nullCount the values that are null
   * @param valueCount all values, null or not: the file's row count
   * @param min the smallest non-null value, or null (then {@code max} must be null too)
   * @param max the largest non-null value, or null (then {@code min} must be null too)
   * @throws IllegalArgumentException if the counts are negative or {@code nullCount > valueCount},
   *     if only one bound is null, if the bounds are of different classes or of a class outside the
   *     row model's, or if there are bounds but every value is null
   */
  public ColumnStats(String column, long nullCount, long valueCount, Object min, Object max) {
    if (column == null || column.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot create column stats: column name must not be empty");
    }
    if (nullCount < 0 || valueCount < 0 || nullCount > valueCount) {
      throw new IllegalArgumentException(
          "Cannot create stats of column '"
              + column
              + "': need 0 <= nullCount <= valueCount, got nullCount "
              + nullCount
              + " and valueCount "
              + valueCount);
    }
    if ((min == null) != (max == null)) {
      throw new IllegalArgumentException(
          "Cannot create stats of column '"
              + column
              + "': min and max must both be set or both null");
    }
    if (min != null) {
      if (!isValueClass(min) || min.getClass() != max.getClass()) {
        throw new IllegalArgumentException(
            "Cannot create stats of column '"
                + column
                + "': min and max must be of one row-model value class, got "
                + min.getClass().getName()
                + " and "
                + max.getClass().getName());
      }
      if (nullCount == valueCount) {
        throw new IllegalArgumentException(
            "Cannot create stats of column '" + column + "': bounds given but every value is null");
      }
    }
    this.column = column;
    this.nullCount = nullCount;
    this.valueCount = valueCount;
    this.min = min;
    this.max = max;
  }

  /** The top-level column's name in the schema. */
  public String column() {
    return column;
  }

  /** How many of the column's values are null. */
  public long nullCount() {
    return nullCount;
  }

  /** How many values the column holds, null or not: the file's row count. */
  public long valueCount() {
    return valueCount;
  }

  /** The smallest non-null value, or null if unknown (see the class comment). */
  public Object min() {
    return min;
  }

  /** The largest non-null value, or null if unknown (see the class comment). */
  public Object max() {
    return max;
  }

  /** Whether {@link #min()} and {@link #max()} are known. */
  public boolean hasMinMax() {
    return min != null;
  }

  /** {@link #min()} as {@link #format} writes it, or null. */
  public String minString() {
    return format(min);
  }

  /** {@link #max()} as {@link #format} writes it, or null. */
  public String maxString() {
    return format(max);
  }

  /**
   * A row-model value as text for a manifest: ISO-8601 for dates ({@code 2024-02-29}), instants
   * ({@code 2024-02-29T13:45:00.123456Z}) and local date-times ({@code 2024-02-29T13:45:00}, always
   * with seconds); decimals in plain notation at their scale ({@code -12.30}, never an exponent);
   * everything else by its {@code toString()} (so a float may read {@code 1.0E10}, {@code
   * -Infinity} or {@code -0.0}, which a JSON writer must quote or map). Null gives null.
   */
  public static String format(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof BigDecimal) {
      return ((BigDecimal) value).toPlainString();
    }
    if (value instanceof LocalDateTime) {
      return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format((LocalDateTime) value);
    }
    // Instant and LocalDate print ISO-8601 themselves
    return value.toString();
  }

  private static boolean isValueClass(Object v) {
    return v instanceof Boolean
        || v instanceof Integer
        || v instanceof Long
        || v instanceof Float
        || v instanceof Double
        || v instanceof String
        || v instanceof LocalDate
        || v instanceof Instant
        || v instanceof LocalDateTime
        || v instanceof BigDecimal;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ColumnStats)) {
      return false;
    }
    ColumnStats that = (ColumnStats) o;
    return column.equals(that.column)
        && nullCount == that.nullCount
        && valueCount == that.valueCount
        && Objects.equals(min, that.min)
        && Objects.equals(max, that.max);
  }

  @Override
  public int hashCode() {
    return Objects.hash(column, nullCount, valueCount, min, max);
  }

  @Override
  public String toString() {
    return "ColumnStats{column="
        + column
        + ", nullCount="
        + nullCount
        + ", valueCount="
        + valueCount
        + ", min="
        + abbreviated(format(min))
        + ", max="
        + abbreviated(format(max))
        + "}";
  }

  private static String abbreviated(String s) {
    if (s == null || s.length() <= 100) {
      return s;
    }
    return s.substring(0, 100) + "...(" + s.length() + " chars)";
  }
}
