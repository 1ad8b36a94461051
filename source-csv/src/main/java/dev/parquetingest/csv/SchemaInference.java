package dev.parquetingest.csv;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.Schema;
import java.util.List;

/**
 * Infers column types from sample values: the narrowest of boolean, int32, int64, double, date,
 * timestamp (micros; UTC-adjusted if any value carries an offset) that every non-empty sample
 * value fits, else string. A column is nullable if a sample value is empty or a null token, or
 * if nothing but nulls was seen. Not thread-safe.
 */
final class SchemaInference {
  private static final int BOOLEAN = 1;
  private static final int INT32 = 2;
  private static final int INT64 = 4;
  private static final int DOUBLE = 8;
  private static final int DATE = 16;
  private static final int TIMESTAMP = 32;
  private static final int ALL = 63;

  private final FieldDecoder decoder = new FieldDecoder();
  private final int[] candidates;
  private final boolean[] nullable;
  private final boolean[] seenValue;
  private final boolean[] seenOffset;
  private final List<char[]> nullTokens;

  SchemaInference(int columns, List<char[]> nullTokens) {
    this.candidates = new int[columns];
    this.nullable = new boolean[columns];
    this.seenValue = new boolean[columns];
    this.seenOffset = new boolean[columns];
    this.nullTokens = nullTokens;
    java.util.Arrays.fill(candidates, ALL);
  }

  void accept(int column, String value, boolean quoted) {
    if (column >= candidates.length) {
      return;
    }
    char[] b = value.toCharArray();
    if (value.isEmpty() && !quoted) {
      nullable[column] = true;
      return;
    }
    if (!quoted) {
      for (char[] token : nullTokens) {
        if (java.util.Arrays.equals(token, b)) {
          nullable[column] = true;
          return;
        }
      }
    }
    seenValue[column] = true;
    int c = candidates[column];
    int len = b.length;
    if ((c & BOOLEAN) != 0 && !FieldDecoder.isStrictBoolean(b, 0, len)) {
      c &= ~BOOLEAN;
    }
    if ((c & INT32) != 0 && !decoder.parseLong(b, 0, len, Integer.MIN_VALUE, Integer.MAX_VALUE)) {
      c &= ~INT32;
    }
    if ((c & INT64) != 0 && !decoder.parseLong(b, 0, len, Long.MIN_VALUE, Long.MAX_VALUE)) {
      c &= ~INT64;
    }
    if ((c & DOUBLE) != 0 && !decoder.parseDouble(b, 0, len)) {
      c &= ~DOUBLE;
    }
    if ((c & DATE) != 0 && !decoder.parseDate(b, 0, len)) {
      c &= ~DATE;
    }
    if ((c & TIMESTAMP) != 0) {
      if (decoder.parseTimestamp(b, 0, len, 1_000_000L)) {
        seenOffset[column] |= decoder.hadOffset;
      } else {
        c &= ~TIMESTAMP;
      }
    }
    candidates[column] = c;
  }

  Schema schema(List<String> names) {
    Schema.Builder builder = Schema.builder();
    for (int i = 0; i < names.size(); i++) {
      int c = seenValue[i] ? candidates[i] : 0;
      ColumnType type;
      if ((c & BOOLEAN) != 0) {
        type = ColumnType.booleanType();
      } else if ((c & INT32) != 0) {
        type = ColumnType.int32();
      } else if ((c & INT64) != 0) {
        type = ColumnType.int64();
      } else if ((c & DOUBLE) != 0) {
        type = ColumnType.float64();
      } else if ((c & DATE) != 0) {
        type = ColumnType.date();
      } else if ((c & TIMESTAMP) != 0) {
        type = ColumnType.timestampMicros(seenOffset[i]);
      } else {
        type = ColumnType.string();
      }
      builder.column(names.get(i), type, nullable[i] || !seenValue[i]);
    }
    return builder.build();
  }
}
