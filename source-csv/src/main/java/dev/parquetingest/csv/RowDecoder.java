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
  private final boolean[] text;

  /** The columns that are not nullable. */
  private final int[] required;

  /** Appended to a value's message for columns whose type was inferred, or null. */
  private final String inferredHint;

  private final FieldDecoder decoder = new FieldDecoder();
  private final boolean hasTokens;

  String problem;
  String column;
  private CsvTokenizer record;

  /**
   * @param columnOfField schema column of each CSV field, -1 for fields that are not read
   * @param inferredHint how to fix a value that does not fit an inferred type, or null
   */
  RowDecoder(Schema schema, int[] columnOfField, NullTokens nulls, String inferredHint) {
    this.schema = schema;
    this.columnOfField = columnOfField;
    this.nulls = nulls;
    this.inferredHint = inferredHint;
    this.hasTokens = nulls.hasTokens();
    int n = schema.size();
    kinds = new TypeKind[n];
    types = new ColumnType[n];
    text = new boolean[n];
    int requiredCount = 0;
    int[] notNull = new int[n];
    for (int i = 0; i < n; i++) {
      types[i] = schema.field(i).type();
      kinds[i] = types[i].kind();
      text[i] = kinds[i] == TypeKind.STRING || kinds[i] == TypeKind.BINARY;
      if (!schema.field(i).nullable()) {
        notNull[requiredCount++] = i;
      }
    }
    required = java.util.Arrays.copyOf(notNull, requiredCount);
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
    final boolean[] isText = text;
    final int[] starts = t.startsArray();
    final int[] metas = t.metaArray();
    final byte[] buffer = t.buffer();
    final byte[] scratch = t.scratchArray();
    int mapped = Math.min(n, columns.length);
    for (int f = 0; f < mapped; f++) {
      int c = columns[f];
      if (c < 0) {
        continue;
      }
      int meta = metas[f];
      byte[] b = (meta & CsvTokenizer.IN_SCRATCH) != 0 ? scratch : buffer;
      int off = starts[f];
      int len = meta & CsvTokenizer.LENGTH;
      boolean quoted = (meta & CsvTokenizer.QUOTED) != 0;
      // the null rule of NullTokens.isNull, with its common answers first
      if (isText[c]) {
        if (len == 0 ? !quoted : !quoted && hasTokens && nulls.isToken(b, off, len)) {
          continue;
        }
        if (!Utf8.copyValid(b, off, len, row.bytesBuffer(c, len + 16))) {
          problem = invalidUtf8(t);
          return false;
        }
        row.setBytesLength(c, len);
      } else {
        if (len == 0 || nulls.isNull(b, off, len, quoted, false)) {
          continue;
        }
        if (!parse(c, b, off, len, row)) {
          return false;
        }
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
    long line = t.recordLine();
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
