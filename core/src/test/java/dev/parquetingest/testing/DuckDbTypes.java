package dev.parquetingest.testing;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.Field;
import dev.parquetingest.schema.Schema;

/** DuckDB's names for our column types, to have DuckDB read a CSV with the same schema. */
public final class DuckDbTypes {
  private DuckDbTypes() {}

  public static String of(ColumnType t) {
    switch (t.kind()) {
      case BOOLEAN:
        return "BOOLEAN";
      case INT32:
        return "INTEGER";
      case INT64:
        return "BIGINT";
      case FLOAT:
        return "FLOAT";
      case DOUBLE:
        return "DOUBLE";
      case STRING:
        return "VARCHAR";
      case BINARY:
        return "BLOB";
      case DATE:
        return "DATE";
      case TIMESTAMP_MILLIS:
        return t.utcAdjusted() ? "TIMESTAMPTZ" : "TIMESTAMP_MS";
      case TIMESTAMP_MICROS:
        return t.utcAdjusted() ? "TIMESTAMPTZ" : "TIMESTAMP";
      case DECIMAL:
        return "DECIMAL(" + t.precision() + "," + t.scale() + ")";
      default:
        throw new AssertionError(t);
    }
  }

  /** {@code {'a': 'INTEGER', ...}} for read_csv's columns option. */
  public static String columns(Schema schema) {
    StringBuilder sb = new StringBuilder("{");
    for (Field f : schema.fields()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append('\'').append(f.name()).append("': '").append(of(f.type())).append('\'');
    }
    return sb.append('}').toString();
  }
}
