package dev.parquetingest.jmh.baseline;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.schema.TypeKind;
import java.math.BigDecimal;
import java.util.Arrays;

/*
 * A copy of source-csv's FastCSV-based reader as it was before issue 12, kept only as the
 * baseline of CsvReadBenchmark. Not used anywhere else.
 */
/**
 * Decodes each field, as FastCSV hands it over, straight into the {@link MutableRow} column it maps
 * to. A field that does not fit leaves a pending error (the first one of the record) instead of
 * throwing, so that the parser stays in step; {@link CsvSource} turns it into a bad record. Keeps a
 * copy of the record's fields (re-quoted where they were quoted) to report a rejected record. Not
 * thread-safe.
 */
final class OldRowHandler extends AbstractBaseCsvCallbackHandler<MutableRow> {
  private final Schema schema;
  private int[] columnOfField;
  private int expectedFields;

  /** Non-null while reading the header: its field values. */
  private java.util.List<String> headerNames;

  private final char[][] nullTokens;
  private final char delimiter;
  private final char quote;
  private final OldFieldDecoder decoder = new OldFieldDecoder();
  private final TypeKind[] kinds;
  private final ColumnType[] types;

  private MutableRow row;

  /** Raw text of the fields that are not kept in the row as text: short, so cheap to copy. */
  private char[] raw = new char[1024];

  private int rawLength;
  private int fields;

  /** Per field of the current record: where its text is, to rebuild a rejected record. */
  private int[] fieldStart = new int[16];

  private int[] fieldLength = new int[16];
  private int[] fieldTextColumn = new int[16];
  private boolean[] fieldQuoted = new boolean[16];

  String errorProblem;
  String errorColumn;

  OldRowHandler(Schema schema, char[][] nullTokens, char delimiter, char quote) {
    this.schema = schema;
    this.nullTokens = nullTokens;
    this.delimiter = delimiter;
    this.quote = quote;
    this.kinds = new TypeKind[schema.size()];
    this.types = new ColumnType[schema.size()];
    for (int i = 0; i < schema.size(); i++) {
      types[i] = schema.field(i).type();
      kinds[i] = types[i].kind();
    }
  }

  void target(MutableRow row) {
    this.row = row;
  }

  /** CSV field i goes to schema column columnOfField[i] (-1: none). */
  void mapping(int[] columnOfField) {
    this.columnOfField = columnOfField;
    this.expectedFields = columnOfField.length;
  }

  /** The next record is the header: collect its fields as names. */
  void readHeader(java.util.List<String> names) {
    this.headerNames = names;
  }

  /** The 1-based physical line the last record started at. */
  long line() {
    return getStartingLineNumber();
  }

  @Override
  protected void handleBegin(long startingLineNumber) {
    fields = 0;
    rawLength = 0;
    errorProblem = null;
    errorColumn = null;
    row.clear();
  }

  @Override
  protected void handleField(int fieldIdx, char[] buf, int offset, int len, boolean quoted) {
    fields++;
    if (headerNames != null) {
      headerNames.add(new String(buf, offset, len));
      return;
    }
    if (fieldIdx >= fieldStart.length) {
      growFieldArrays();
    }
    fieldQuoted[fieldIdx] = quoted;
    int column = fieldIdx < expectedFields ? columnOfField[fieldIdx] : -1;
    if (column >= 0
        && errorProblem == null
        && isText(column)
        && !isNull(buf, offset, len, quoted, kinds[column])) {
      // the row keeps the text itself; a rejected record is rebuilt from it
      fieldTextColumn[fieldIdx] = column;
      encodeUtf8(column, buf, offset, len);
      return;
    }
    fieldTextColumn[fieldIdx] = -1;
    copyRaw(fieldIdx, buf, offset, len);
    if (column >= 0 && errorProblem == null) {
      decode(column, buf, offset, len, quoted);
    }
  }

  private boolean isText(int column) {
    return kinds[column] == TypeKind.STRING || kinds[column] == TypeKind.BINARY;
  }

  private void growFieldArrays() {
    int n = fieldStart.length * 2;
    fieldStart = Arrays.copyOf(fieldStart, n);
    fieldLength = Arrays.copyOf(fieldLength, n);
    fieldTextColumn = Arrays.copyOf(fieldTextColumn, n);
    fieldQuoted = Arrays.copyOf(fieldQuoted, n);
  }

  @Override
  protected MutableRow buildRecord() {
    if (headerNames != null) {
      headerNames = null;
      return row;
    }
    if (errorProblem == null && fields != expectedFields) {
      errorProblem = "Cannot read record: expected " + expectedFields + " fields, found " + fields;
    }
    if (errorProblem == null) {
      for (int c = 0; c < kinds.length; c++) {
        if (row.isNull(c) && !schema.field(c).nullable()) {
          errorColumn = schema.field(c).name();
          errorProblem =
              "Cannot read column '"
                  + errorColumn
                  + "': empty value in a column that is not nullable";
          break;
        }
      }
    }
    return row;
  }

  /** Physical lines (LF) the record spans beyond its first, from line ends inside quoted fields. */
  long extraLines() {
    long lines = 0;
    for (int f = 0; f < fields; f++) {
      if (fieldQuoted[f]) {
        String text = fieldText(f);
        for (int i = 0; i < text.length(); i++) {
          if (text.charAt(i) == '\n') {
            lines++;
          }
        }
      }
    }
    return lines;
  }

  /** The record re-serialised as CSV, fields quoted where they were quoted. */
  String rawRecord() {
    StringBuilder sb = new StringBuilder(rawLength + 64);
    for (int f = 0; f < fields; f++) {
      if (f > 0) {
        sb.append(delimiter);
      }
      String text = fieldText(f);
      if (!fieldQuoted[f]) {
        sb.append(text);
        continue;
      }
      sb.append(quote);
      for (int i = 0; i < text.length(); i++) {
        char ch = text.charAt(i);
        if (ch == quote) {
          sb.append(quote);
        }
        sb.append(ch);
      }
      sb.append(quote);
    }
    return sb.toString();
  }

  private String fieldText(int f) {
    int column = fieldTextColumn[f];
    if (column < 0) {
      return new String(raw, fieldStart[f], fieldLength[f]);
    }
    return row.getString(column);
  }

  private void decode(int c, char[] b, int off, int len, boolean quoted) {
    if (isNull(b, off, len, quoted, kinds[c])) {
      return;
    }
    // spaces around non-text values are ignored: trim once, then parse the trimmed span
    int start = trimStart(b, off, len);
    int n = trimEnd(b, start, off + len) - start;
    OldFieldDecoder d = decoder;
    boolean ok;
    switch (kinds[c]) {
      case BOOLEAN:
        ok = d.parseBoolean(b, start, n);
        if (ok) {
          row.setBoolean(c, d.longValue != 0);
        }
        break;
      case INT32:
        ok = d.parseLong(b, start, n, Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (ok) {
          row.setInt(c, (int) d.longValue);
        }
        break;
      case INT64:
        ok = d.parseLong(b, start, n, Long.MIN_VALUE, Long.MAX_VALUE);
        if (ok) {
          row.setLong(c, d.longValue);
        }
        break;
      case FLOAT:
        ok = d.parseDouble(b, start, n);
        if (ok) {
          float f = (float) d.doubleValue;
          ok = !Float.isInfinite(f) || Double.isInfinite(d.doubleValue);
          row.setFloat(c, f);
        }
        break;
      case DOUBLE:
        ok = d.parseDouble(b, start, n);
        if (ok) {
          row.setDouble(c, d.doubleValue);
        }
        break;
      case DATE:
        ok = d.parseDate(b, start, n);
        if (ok) {
          row.setInt(c, (int) d.longValue);
        }
        break;
      case TIMESTAMP_MILLIS:
      case TIMESTAMP_MICROS:
        ok =
            d.parseTimestamp(
                b, start, n, kinds[c] == TypeKind.TIMESTAMP_MILLIS ? 1000L : 1_000_000L);
        if (ok && d.hadOffset && !types[c].utcAdjusted()) {
          fail(c, b, off, len, "a local timestamp without zone offset");
          return;
        }
        if (ok) {
          row.setLong(c, d.longValue);
        }
        break;
      case DECIMAL:
        ok = d.parseDecimal(b, start, n, types[c].precision(), types[c].scale());
        if (ok) {
          if (types[c].precision() <= ColumnType.MAX_LONG_DECIMAL_PRECISION) {
            row.setUnscaledDecimal(c, d.longValue);
          } else {
            BigDecimal v = d.decimalValue;
            row.setDecimal(c, v);
          }
        }
        break;
      default:
        // text columns are stored by handleField, never parsed here
        throw new AssertionError(kinds[c]);
    }
    if (!ok) {
      fail(c, b, off, len, null);
    }
  }

  private void fail(int c, char[] b, int off, int len, String expected) {
    String value = new String(b, off, Math.min(len, 200)) + (len > 200 ? "..." : "");
    errorColumn = schema.field(c).name();
    errorProblem =
        "Cannot parse column '"
            + errorColumn
            + "' as "
            + (expected != null ? expected : types[c].toString())
            + ": \""
            + value
            + "\"";
    row.setNull(c);
  }

  private boolean isNull(char[] b, int off, int len, boolean quoted, TypeKind kind) {
    boolean text = kind == TypeKind.STRING || kind == TypeKind.BINARY;
    if (len == 0) {
      // "" stays an empty string in text columns; anything else empty is null
      return !(quoted && text);
    }
    if (quoted && text) {
      return false;
    }
    for (char[] token : nullTokens) {
      if (token.length == len && Arrays.equals(token, 0, len, b, off, off + len)) {
        return true;
      }
    }
    return !text && trimStart(b, off, len) == off + len;
  }

  private static int trimStart(char[] b, int off, int len) {
    int i = off;
    int end = off + len;
    while (i < end && b[i] == ' ') {
      i++;
    }
    return i;
  }

  /** The end of {@code [start, end)} without trailing spaces. */
  private static int trimEnd(char[] b, int start, int end) {
    while (end > start && b[end - 1] == ' ') {
      end--;
    }
    return end;
  }

  private void encodeUtf8(int c, char[] b, int off, int len) {
    byte[] out = row.bytesBuffer(c, len * 3);
    int n = 0;
    int end = off + len;
    int i = off;
    while (i < end && b[i] < 0x80) {
      out[n++] = (byte) b[i++];
    }
    for (; i < end; i++) {
      char ch = b[i];
      if (ch < 0x80) {
        out[n++] = (byte) ch;
      } else if (ch < 0x800) {
        out[n++] = (byte) (0xC0 | (ch >> 6));
        out[n++] = (byte) (0x80 | (ch & 0x3F));
      } else if (Character.isHighSurrogate(ch)
          && i + 1 < end
          && Character.isLowSurrogate(b[i + 1])) {
        int cp = Character.toCodePoint(ch, b[++i]);
        out[n++] = (byte) (0xF0 | (cp >> 18));
        out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        out[n++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(ch)) {
        out[n++] = (byte) '?';
      } else {
        out[n++] = (byte) (0xE0 | (ch >> 12));
        out[n++] = (byte) (0x80 | ((ch >> 6) & 0x3F));
        out[n++] = (byte) (0x80 | (ch & 0x3F));
      }
    }
    row.setBytesLength(c, n);
  }

  private void copyRaw(int fieldIdx, char[] b, int off, int len) {
    if (raw.length < rawLength + len) {
      raw = Arrays.copyOf(raw, Math.max(rawLength + len, raw.length * 2));
    }
    System.arraycopy(b, off, raw, rawLength, len);
    fieldStart[fieldIdx] = rawLength;
    fieldLength[fieldIdx] = len;
    rawLength += len;
  }
}
