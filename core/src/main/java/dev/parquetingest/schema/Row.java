package dev.parquetingest.schema;

import java.math.BigDecimal;

/**
 * One record, read through typed accessors by column index. Which accessor fits a column follows
 * from its {@link TypeKind}:
 *
 * <ul>
 *   <li>BOOLEAN: {@link #getBoolean}; INT32 and DATE (days since epoch): {@link #getInt};
 *   <li>INT64 and both TIMESTAMP kinds (millis or micros since epoch): {@link #getLong};
 *   <li>FLOAT: {@link #getFloat}; DOUBLE: {@link #getDouble};
 *   <li>STRING (UTF-8) and BINARY: {@link #bytes}, {@link #bytesOffset}, {@link #bytesLength}, or
 *       the allocating {@link #getString};
 *   <li>DECIMAL: {@link #getDecimal}; with a precision up to 18 also {@link #getLong} (the unscaled
 *       value).
 * </ul>
 *
 * <p>Calling an accessor on a null value, or one that does not fit the column's kind, has an
 * unspecified result. A row handed to a stage may be reused for the next record: copy what must
 * outlive the call. Implementations need not be thread-safe.
 */
public interface Row {
  Schema schema();

  boolean isNull(int column);

  boolean getBoolean(int column);

  int getInt(int column);

  long getLong(int column);

  float getFloat(int column);

  double getDouble(int column);

  /** The array holding the column's bytes; valid until the row changes. */
  byte[] bytes(int column);

  /** Where the column's bytes start in {@link #bytes(int)}. */
  int bytesOffset(int column);

  /** How many bytes the column's value has. */
  int bytesLength(int column);

  /** The STRING value decoded from UTF-8; allocates. */
  String getString(int column);

  BigDecimal getDecimal(int column);

  /**
   * The value boxed as a Java object: Boolean, Integer, Long, Float, Double, String, byte[], {@link
   * java.time.LocalDate}, {@link java.time.Instant} or {@link java.time.LocalDateTime}, BigDecimal,
   * or null. Convenient, slow: not for hot paths.
   */
  Object get(int column);
}
