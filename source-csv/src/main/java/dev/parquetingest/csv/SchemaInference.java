package dev.parquetingest.csv;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.Schema;
import java.util.Arrays;
import java.util.List;

/**
 * Infers column types from sample values: the first of boolean, int64, decimal(20,0), double, date,
 * timestamp (micros; UTC-adjusted if any value carries an offset) that every non-null sample value
 * fits, else string. Integers beyond int64 with at most 20 digits make decimal(20,0); longer ones
 * make the column a string, never a rounded double, and so does a number beyond the double range.
 * Every column is nullable: the sample cannot prove that a later value is never empty (a schema can
 * say {@code not null}). Which values are null is {@link NullTokens}' rule, the reader's. Not
 * thread-safe.
 */
final class SchemaInference {
  private static final int BOOLEAN = 1;
  private static final int INT64 = 2;
  private static final int DECIMAL20 = 4;
  private static final int DOUBLE = 8;
  private static final int DATE = 16;
  private static final int TIMESTAMP = 32;
  private static final int ALL = 63;

  /** The precision of the decimal that integers beyond int64 are read as. */
  static final int WIDE_INTEGER_DIGITS = 20;

  private final FieldDecoder decoder = new FieldDecoder();
  private final NullTokens nulls;
  private final int[] candidates;
  private final boolean[] seenValue;
  private final boolean[] seenOffset;

  SchemaInference(int columns, NullTokens nulls) {
    this.nulls = nulls;
    this.candidates = new int[columns];
    this.seenValue = new boolean[columns];
    this.seenOffset = new boolean[columns];
    Arrays.fill(candidates, ALL);
  }

  /**
   * Takes every field of the tokenizer's current record (fields beyond the columns are ignored).
   */
  void accept(CsvTokenizer t) {
    int n = Math.min(t.fields(), candidates.length);
    for (int f = 0; f < n; f++) {
      accept(f, t.bytes(f), t.start(f), t.length(f), t.quoted(f));
    }
  }

  void accept(int column, byte[] b, int off, int len, boolean quoted) {
    if (nulls.isNullInEveryType(b, off, len, quoted)) {
      return;
    }
    seenValue[column] = true;
    int c = candidates[column];
    if (c == 0) {
      return;
    }
    if ((c & BOOLEAN) != 0 && !FieldDecoder.isStrictBoolean(b, off, len)) {
      c &= ~BOOLEAN;
    }
    boolean integer = isIntegerLiteral(b, off, len);
    if ((c & INT64) != 0
        && !(integer && decoder.parseLong(b, off, len, Long.MIN_VALUE, Long.MAX_VALUE))) {
      c &= ~INT64;
    }
    if (integer && !decoder.parseLong(b, off, len, Long.MIN_VALUE, Long.MAX_VALUE)) {
      // beyond int64: a double would round it
      c &= ~DOUBLE;
      if (significantDigits(b, off, len) > WIDE_INTEGER_DIGITS) {
        c &= ~DECIMAL20;
      }
    } else if (!integer) {
      c &= ~DECIMAL20;
    }
    if ((c & DOUBLE) != 0 && !decoder.parseDouble(b, off, len)) {
      c &= ~DOUBLE;
    }
    if ((c & DATE) != 0 && !decoder.parseDate(b, off, len)) {
      c &= ~DATE;
    }
    if ((c & TIMESTAMP) != 0) {
      if (decoder.parseTimestamp(b, off, len, 1_000_000L)) {
        seenOffset[column] |= decoder.hadOffset;
      } else {
        c &= ~TIMESTAMP;
      }
    }
    candidates[column] = c;
  }

  /** An optional sign and at least one digit, nothing else. */
  private static boolean isIntegerLiteral(byte[] b, int off, int len) {
    int i = off;
    int end = off + len;
    if (i < end && (b[i] == '-' || b[i] == '+')) {
      i++;
    }
    if (i == end) {
      return false;
    }
    for (; i < end; i++) {
      if (b[i] < '0' || b[i] > '9') {
        return false;
      }
    }
    return true;
  }

  private static int significantDigits(byte[] b, int off, int len) {
    int i = off;
    int end = off + len;
    if (b[i] == '-' || b[i] == '+') {
      i++;
    }
    while (i < end - 1 && b[i] == '0') {
      i++;
    }
    return end - i;
  }

  Schema schema(List<String> names) {
    Schema.Builder builder = Schema.builder();
    for (int i = 0; i < names.size(); i++) {
      int c = i < candidates.length && seenValue[i] ? candidates[i] : 0;
      ColumnType type;
      if ((c & BOOLEAN) != 0) {
        type = ColumnType.booleanType();
      } else if ((c & INT64) != 0) {
        type = ColumnType.int64();
      } else if ((c & DECIMAL20) != 0) {
        type = ColumnType.decimal(WIDE_INTEGER_DIGITS, 0);
      } else if ((c & DOUBLE) != 0) {
        type = ColumnType.float64();
      } else if ((c & DATE) != 0) {
        type = ColumnType.date();
      } else if ((c & TIMESTAMP) != 0) {
        type = ColumnType.timestampMicros(seenOffset[i]);
      } else {
        type = ColumnType.string();
      }
      builder.column(names.get(i), type, true);
    }
    return builder.build();
  }
}
