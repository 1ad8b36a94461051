package dev.parquetingest.csv;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.schema.TypeKind;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the tokenizer's current record straight from its bytes into a {@link MutableRow}: text is
 * validated as UTF-8 and copied once into the row's buffer, everything else is parsed from the
 * bytes. The first problem of a record is kept in {@link #problem} (and its column in {@link
 * #column}) instead of thrown, so that the caller decides how to report it. Not thread-safe.
 */
final class RowDecoder {
  private final Schema schema;
  private final int[] columnOfField;
  private final NullTokens nulls;
  private final TypeKind[] kinds;
  private final ColumnType[] types;

  /** The columns that are not nullable. */
  private final int[] required;

  /** Appended to a value's message for columns whose type was inferred, or null. */
  private final String inferredHint;

  private final FieldDecoder decoder = new FieldDecoder();
  private final boolean hasTokens;

  /**
   * What to do with each CSV field, chosen once from the schema: {@link #SKIP} a field that is not
   * read, copy {@link #TEXT}, or parse a value through a fast path for the common spellings of its
   * type ({@link #INT32} to {@link #TIMESTAMP_MICROS_UTC}) that hands anything else (spaces, a
   * sign, exponents, offsets, overflow, errors) to the general {@link #parse}; {@link #OTHER} types
   * go there directly.
   */
  private final byte[] ops;

  private static final byte SKIP = 0;
  private static final byte TEXT = 1;
  private static final byte OTHER = 2;
  private static final byte INT32 = 3;
  private static final byte INT64 = 4;
  private static final byte DOUBLE = 5;
  private static final byte BOOLEAN = 6;
  private static final byte TIMESTAMP_MICROS_UTC = 7;

  String problem;
  String column;
  private CsvTokenizer record;

  /**
   * @param columnOfField schema column of each CSV field, -1 for fields that are not read
   * @param inferredHint how to fix a value that does not fit an inferred type, or null
   */
  RowDecoder(Schema schema, int[] columnOfField, NullTokens nulls, String inferredHint) {
    this(schema, columnOfField, nulls, inferredHint, true);
  }

  /**
   * @param fastPaths false to parse every value through the general {@link #parse} (the fast paths'
   *     oracle in the tests)
   */
  RowDecoder(
      Schema schema,
      int[] columnOfField,
      NullTokens nulls,
      String inferredHint,
      boolean fastPaths) {
    this.schema = schema;
    this.columnOfField = columnOfField;
    this.nulls = nulls;
    this.inferredHint = inferredHint;
    this.hasTokens = nulls.hasTokens();
    int n = schema.size();
    kinds = new TypeKind[n];
    types = new ColumnType[n];
    int requiredCount = 0;
    int[] notNull = new int[n];
    for (int i = 0; i < n; i++) {
      types[i] = schema.field(i).type();
      kinds[i] = types[i].kind();
      if (!schema.field(i).nullable()) {
        notNull[requiredCount++] = i;
      }
    }
    required = java.util.Arrays.copyOf(notNull, requiredCount);
    ops = new byte[columnOfField.length];
    for (int f = 0; f < ops.length; f++) {
      int c = columnOfField[f];
      ops[f] = c < 0 ? SKIP : op(types[c]);
      if (!fastPaths && ops[f] > OTHER) {
        ops[f] = OTHER;
      }
    }
  }

  private static byte op(ColumnType type) {
    switch (type.kind()) {
      case STRING:
      case BINARY:
        return TEXT;
      case INT32:
        return INT32;
      case INT64:
        return INT64;
      case DOUBLE:
        return DOUBLE;
      case BOOLEAN:
        return BOOLEAN;
      case TIMESTAMP_MICROS:
        return type.utcAdjusted() ? TIMESTAMP_MICROS_UTC : OTHER;
      default:
        return OTHER;
    }
  }

  /** Fills {@code row} from the record; false if it is bad ({@link #problem} says why). */
  boolean decode(CsvTokenizer t, MutableRow row) {
    record = t;
    problem = t.problem();
    column = null;
    row.clear();
    if (problem != null) {
      return false;
    }
    int n = t.fields();
    final int[] columns = columnOfField;
    final int[] starts = t.startsArray();
    final int[] metas = t.metaArray();
    final byte[] buffer = t.buffer();
    final byte[] scratch = t.scratchArray();
    final byte[] op = ops;
    final boolean tokens = hasTokens;
    // an all-ASCII record (the common case, found by the tokenizer's scans) needs no UTF-8 check
    // per text field
    final boolean ascii = t.ascii();
    int mapped = Math.min(n, columns.length);
    for (int f = 0; f < mapped; f++) {
      int o = op[f];
      if (o == SKIP) {
        continue;
      }
      int c = columns[f];
      int meta = metas[f];
      byte[] b = (meta & CsvTokenizer.IN_SCRATCH) != 0 ? scratch : buffer;
      int off = starts[f];
      int len = meta & CsvTokenizer.LENGTH;
      boolean quoted = (meta & CsvTokenizer.QUOTED) != 0;
      // the null rule of NullTokens.isNull, with its common answers first
      if (o == TEXT) {
        if (len == 0 ? !quoted : !quoted && tokens && nulls.isToken(b, off, len)) {
          continue;
        }
        if (!ascii && !Utf8.isValid(b, off, len)) {
          problem = invalidUtf8(t);
          return false;
        }
        // a range of the read buffer (or scratch), valid until the next record is read
        row.setBytesReference(c, b, off, len);
        continue;
      }
      if (len == 0 || (tokens && !quoted && nulls.isToken(b, off, len))) {
        continue;
      }
      // the fast paths: no space to trim, the plain spelling; anything else goes to parse
      if (o != OTHER && b[off] != ' ' && b[off + len - 1] != ' ' && fast(o, c, b, off, len, row)) {
        continue;
      }
      if (nulls.isNull(b, off, len, quoted, false)) {
        continue;
      }
      if (!parse(c, b, off, len, row)) {
        return false;
      }
    }
    if (n != columnOfField.length) {
      problem = "Cannot read record: expected " + columnOfField.length + " fields, found " + n;
      return false;
    }
    for (int c : required) {
      if (row.isNull(c)) {
        column = schema.field(c).name();
        problem =
            "Cannot read column '" + column + "': empty value in a column that is not nullable";
        return false;
      }
    }
    return true;
  }

  /**
   * Parses the common spellings of a value straight into the row: digits with an optional minus (up
   * to 16, {@link FieldDecoder#plainDigits}), plain decimals as {@link FieldDecoder#parseDouble}'s
   * exact fast path takes them ({@link FieldDecoder#plainDecimal}), {@code true} / {@code false} in
   * lower case, {@code yyyy-MM-ddTHH:mm:ss.ffffffZ}. Whatever it sets is what {@link #parse} would
   * set.
   *
   * @return false if it did not set the value: the general parse decides
   */
  private static boolean fast(int o, int c, byte[] b, int off, int len, MutableRow row) {
    switch (o) {
      case INT32:
      case INT64:
        {
          int i = off;
          int end = off + len;
          boolean negative = b[i] == '-';
          if (negative) {
            i++;
          }
          long v = FieldDecoder.plainDigits(b, i, end);
          if (v < 0) {
            return false;
          }
          if (negative) {
            v = -v;
          }
          if (o == INT32) {
            if (v != (int) v) {
              return false;
            }
            row.setInt(c, (int) v);
          } else {
            row.setLong(c, v);
          }
          return true;
        }
      case DOUBLE:
        {
          int i = off;
          boolean negative = b[i] == '-';
          if (negative) {
            i++;
          }
          double v = FieldDecoder.plainDecimal(b, i, off + len);
          if (v != v) {
            return false;
          }
          row.setDouble(c, negative ? -v : v);
          return true;
        }
      case BOOLEAN:
        if (len == 4
            && b[off] == 't'
            && b[off + 1] == 'r'
            && b[off + 2] == 'u'
            && b[off + 3] == 'e') {
          row.setBoolean(c, true);
          return true;
        }
        if (len == 5
            && b[off] == 'f'
            && b[off + 1] == 'a'
            && b[off + 2] == 'l'
            && b[off + 3] == 's'
            && b[off + 4] == 'e') {
          row.setBoolean(c, false);
          return true;
        }
        return false;
      case TIMESTAMP_MICROS_UTC:
        return fastTimestampMicros(c, b, off, len, row);
      default:
        return false;
    }
  }

  /**
   * {@code yyyy-MM-ddTHH:mm:ss.ffffffZ} (or a space for the T) into a UTC-adjusted micros column.
   */
  private static boolean fastTimestampMicros(int c, byte[] b, int off, int len, MutableRow row) {
    if (len != 27
        || b[off + 4] != '-'
        || b[off + 7] != '-'
        || (b[off + 10] != 'T' && b[off + 10] != ' ')
        || b[off + 13] != ':'
        || b[off + 16] != ':'
        || b[off + 19] != '.'
        || b[off + 26] != 'Z') {
      return false;
    }
    int y = digits4(b, off);
    int m = digits2(b, off + 5);
    int d = digits2(b, off + 8);
    int h = digits2(b, off + 11);
    int min = digits2(b, off + 14);
    int s = digits2(b, off + 17);
    int f0 = digits2(b, off + 20);
    int f1 = digits2(b, off + 22);
    int f2 = digits2(b, off + 24);
    if ((y | m | d | h | min | s | f0 | f1 | f2) < 0
        || m < 1
        || m > 12
        || d < 1
        || h > 23
        || min > 59
        || s > 59
        || (d > 28 && d > FieldDecoder.daysInMonth(y, m))) {
      return false;
    }
    long seconds = FieldDecoder.epochDay(y, m, d) * 86_400L + h * 3600L + min * 60L + s;
    row.setLong(c, seconds * 1_000_000L + f0 * 10_000 + f1 * 100 + f2);
    return true;
  }

  /** Two decimal digits, or a negative number if either is not one. */
  private static int digits2(byte[] b, int off) {
    int d0 = b[off] - '0';
    int d1 = b[off + 1] - '0';
    return (d0 | d1 | (9 - d0) | (9 - d1)) < 0 ? -1 : d0 * 10 + d1;
  }

  private static int digits4(byte[] b, int off) {
    int hi = digits2(b, off);
    int lo = digits2(b, off + 2);
    return (hi | lo) < 0 ? -1 : hi * 100 + lo;
  }

  private boolean parse(int c, byte[] b, int off, int len, MutableRow row) {
    // spaces around non-text values are ignored
    int start = off;
    int end = off + len;
    while (start < end && b[start] == ' ') {
      start++;
    }
    while (end > start && b[end - 1] == ' ') {
      end--;
    }
    int n = end - start;
    FieldDecoder d = decoder;
    switch (kinds[c]) {
      case BOOLEAN:
        if (d.parseBoolean(b, start, n)) {
          row.setBoolean(c, d.longValue != 0);
          return true;
        }
        break;
      case INT32:
        if (d.parseLong(b, start, n, Integer.MIN_VALUE, Integer.MAX_VALUE)) {
          row.setInt(c, (int) d.longValue);
          return true;
        }
        break;
      case INT64:
        if (d.parseLong(b, start, n, Long.MIN_VALUE, Long.MAX_VALUE)) {
          row.setLong(c, d.longValue);
          return true;
        }
        break;
      case FLOAT:
        if (d.parseDouble(b, start, n)) {
          float v = (float) d.doubleValue;
          if (!Float.isInfinite(v) || Double.isInfinite(d.doubleValue)) {
            row.setFloat(c, v);
            return true;
          }
        }
        break;
      case DOUBLE:
        if (d.parseDouble(b, start, n)) {
          row.setDouble(c, d.doubleValue);
          return true;
        }
        break;
      case DATE:
        if (d.parseDate(b, start, n)) {
          row.setInt(c, (int) d.longValue);
          return true;
        }
        break;
      case TIMESTAMP_MILLIS:
      case TIMESTAMP_MICROS:
        if (d.parseTimestamp(
            b, start, n, kinds[c] == TypeKind.TIMESTAMP_MILLIS ? 1000L : 1_000_000L)) {
          if (d.hadOffset && !types[c].utcAdjusted()) {
            return fail(c, b, off, len, "a local timestamp without zone offset");
          }
          row.setLong(c, d.longValue);
          return true;
        }
        break;
      case DECIMAL:
        if (d.parseDecimal(b, start, n, types[c].precision(), types[c].scale())) {
          if (types[c].precision() <= ColumnType.MAX_LONG_DECIMAL_PRECISION) {
            row.setUnscaledDecimal(c, d.longValue);
          } else {
            row.setDecimal(c, d.decimalValue);
          }
          return true;
        }
        break;
      default:
        throw new AssertionError(kinds[c]);
    }
    return fail(c, b, off, len, null);
  }

  private boolean fail(int c, byte[] b, int off, int len, String expected) {
    if (Utf8.firstInvalid(b, off, len) >= 0) {
      problem = invalidUtf8(record);
      return false;
    }
    column = schema.field(c).name();
    String value =
        new String(b, off, Math.min(len, 200), StandardCharsets.UTF_8) + (len > 200 ? "..." : "");
    problem =
        "Cannot parse column '"
            + column
            + "' as "
            + (expected != null ? expected : types[c].toString())
            + ": \""
            + value
            + "\""
            + (inferredHint != null && expected == null ? inferredHint : "");
    return false;
  }

  /** Names the record's first ill-formed UTF-8 byte by line, column and byte offset. */
  static String invalidUtf8(CsvTokenizer t) {
    byte[] raw = t.rawBuffer();
    int from = t.rawStart();
    int bad = Utf8.firstInvalid(raw, from, t.rawEnd() - from);
    if (bad < 0) {
      return "Cannot decode record: invalid UTF-8";
    }
    long line = t.lineNumber(t.recordLine());
    int lineStart = from;
    for (int i = from; i < bad; i++) {
      if (raw[i] == '\n' || (raw[i] == '\r' && raw[i + 1] != '\n')) {
        line++;
        lineStart = i + 1;
      }
    }
    long columnInLine = bad - lineStart + 1;
    return String.format(
        "Cannot decode record: invalid UTF-8 byte 0x%02X at line %d, column %d (byte offset %d)",
        raw[bad] & 0xFF, line, columnInLine, t.recordOffset() + (bad - from));
  }
}
