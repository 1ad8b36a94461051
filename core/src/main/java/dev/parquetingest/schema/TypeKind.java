package dev.parquetingest.schema;

/** The physical-and-logical kinds of value a column can hold. */
public enum TypeKind {
  BOOLEAN,
  INT32,
  INT64,
  FLOAT,
  DOUBLE,
  /** UTF-8 text. */
  STRING,
  /** Arbitrary bytes. */
  BINARY,
  /** Days since 1970-01-01, read with {@link Row#getInt(int)}. */
  DATE,
  /** Milliseconds since the epoch, read with {@link Row#getLong(int)}. */
  TIMESTAMP_MILLIS,
  /** Microseconds since the epoch, read with {@link Row#getLong(int)}. */
  TIMESTAMP_MICROS,
  /** Fixed-point decimal with a precision of 1 to 38 digits and a scale. */
  DECIMAL
}
