package dev.parquetingest.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The decoder's per-type fast paths against its general parse, the oracle: seeded random values
 * near and past every edge a fast path tests (digit counts around 18, int32 and 2^53 bounds, signs,
 * spaces, quotes, exponents, case, every timestamp field out of range or not a digit, offsets,
 * other lengths) must give the same row, or the same problem for the same column, both ways.
 */
class RowDecoderFastPathTest {
  private static final Schema SCHEMA =
      Schema.builder()
          .optional("i32", ColumnType.int32())
          .optional("i64", ColumnType.int64())
          .optional("d", ColumnType.float64())
          .optional("b", ColumnType.booleanType())
          .optional("ts", ColumnType.timestampMicros(true))
          .required("req", ColumnType.int64())
          .optional("s", ColumnType.string())
          .build();

  @Test
  void fastPathsGiveWhatTheGeneralParseGives() throws IOException {
    Random r = new Random(20261201);
    int good = 0;
    int bad = 0;
    for (int batch = 0; batch < 200; batch++) {
      StringBuilder csv = new StringBuilder();
      for (int i = 0; i < 250; i++) {
        // one column of each record gets a random value, the others a plain one, so that most
        // records get as far as the column under test
        int focus = r.nextInt(6);
        csv.append(focus == 0 ? field(r, integer(r)) : "12")
            .append(',')
            .append(focus == 1 ? field(r, integer(r)) : "-34")
            .append(',')
            .append(focus == 2 ? field(r, decimal(r)) : "5.25")
            .append(',')
            .append(focus == 3 ? field(r, bool(r)) : "false")
            .append(',')
            .append(focus == 4 ? field(r, timestamp(r)) : "2026-11-01T00:00:00.001301Z")
            .append(',')
            .append(focus == 5 ? (r.nextInt(20) == 0 ? "" : field(r, integer(r))) : "7")
            .append(',')
            .append(field(r, "x" + r.nextInt(100)))
            .append(r.nextBoolean() ? "\n" : "\r\n");
      }
      byte[] data = csv.toString().getBytes(StandardCharsets.UTF_8);
      List<String> withFastPaths = decodeAll(data, true);
      List<String> general = decodeAll(data, false);
      assertThat(withFastPaths).as("batch %d", batch).isEqualTo(general);
      for (String s : general) {
        bad += s.startsWith("BAD") ? 1 : 0;
        good += s.startsWith("BAD") ? 0 : 1;
      }
    }
    // both outcomes are common, or the comparison proves little
    assertThat(bad).isGreaterThan(5_000);
    assertThat(good).isGreaterThan(15_000);
  }

  private static List<String> decodeAll(byte[] data, boolean fastPaths) throws IOException {
    int[] mapping = new int[SCHEMA.size()];
    for (int i = 0; i < mapping.length; i++) {
      mapping[i] = i;
    }
    RowDecoder decoder =
        new RowDecoder(SCHEMA, mapping, new NullTokens(List.of("NULL")), null, fastPaths);
    MutableRow row = new MutableRow(SCHEMA);
    List<String> out = new ArrayList<>();
    try (CsvTokenizer t =
        new CsvTokenizer(
            new ByteArrayInputStream(data), (byte) ',', (byte) '"', 0, 1, -1, 1 << 20, 4096)) {
      while (t.next()) {
        if (decoder.decode(t, row)) {
          List<Object> values = new ArrayList<>();
          for (int c = 0; c < SCHEMA.size(); c++) {
            values.add(row.get(c));
          }
          out.add(t.recordLine() + ": " + values);
        } else {
          out.add("BAD " + t.recordLine() + " " + decoder.column + ": " + decoder.problem);
        }
      }
    }
    return out;
  }

  /** The value as it would be written: sometimes quoted, padded, or a null token. */
  private static String field(Random r, String value) {
    switch (r.nextInt(30)) {
      case 0:
        return "\"" + value + "\"";
      case 1:
        return " " + value;
      case 2:
        return value + " ";
      case 3:
        return "";
      case 4:
        return "NULL";
      case 5:
        return "\"\"";
      default:
        return value;
    }
  }

  private static String digits(Random r, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append((char) ('0' + r.nextInt(10)));
    }
    return sb.toString();
  }

  private static String sign(Random r) {
    int k = r.nextInt(8);
    return k == 0 ? "-" : k == 1 ? "+" : "";
  }

  private static String integer(Random r) {
    switch (r.nextInt(14)) {
      case 0:
        return String.valueOf(r.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE);
      case 1:
        return String.valueOf(
            (long) (r.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE)
                + (r.nextBoolean() ? 1 : -1));
      case 2:
        return String.valueOf(r.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE);
      case 3:
        return sign(r) + "9".repeat(17 + r.nextInt(3));
      case 4:
        return sign(r);
      case 5:
        return sign(r) + digits(r, 1 + r.nextInt(4)) + "x";
      case 6:
        return sign(r) + digits(r, 1 + r.nextInt(3)) + ".0";
      case 7:
      case 8:
        return sign(r) + nearDigits(r, digits(r, 1 + r.nextInt(17)));
      default:
        return sign(r) + digits(r, 1 + r.nextInt(21));
    }
  }

  private static String decimal(Random r) {
    switch (r.nextInt(16)) {
      case 0:
        return sign(r) + "9007199254740992";
      case 1:
        return sign(r) + "9007199254740993";
      case 2:
        return sign(r) + "900719925474099.3";
      case 3:
        return sign(r) + digits(r, 1 + r.nextInt(3)) + "e" + sign(r) + digits(r, 1 + r.nextInt(3));
      case 4:
        return r.nextBoolean() ? "NaN" : sign(r) + "Infinity";
      case 5:
        return sign(r) + "." + digits(r, 1 + r.nextInt(5));
      case 6:
        return sign(r) + digits(r, 1 + r.nextInt(5)) + ".";
      case 7:
        return sign(r) + ".";
      case 8:
        return sign(r) + "0." + "0".repeat(r.nextInt(20)) + digits(r, 1 + r.nextInt(3));
      case 9:
        return sign(r) + digits(r, 1 + r.nextInt(3)) + "." + digits(r, 1) + "." + digits(r, 1);
      case 10:
      case 11:
        {
          // 2 to 9 bytes, the lengths a word holds, one of them sometimes not a digit or point
          int n = 2 + r.nextInt(8);
          String d = digits(r, n);
          int point = r.nextInt(n + 1);
          String v = point < n ? d.substring(0, point) + "." + d.substring(point + 1) : d;
          return sign(r) + (r.nextBoolean() ? nearDigits(r, v) : v);
        }
      default:
        int intDigits = r.nextInt(12);
        int fraction = r.nextInt(12);
        return sign(r) + digits(r, intDigits) + (fraction > 0 ? "." + digits(r, fraction) : "");
    }
  }

  /**
   * {@code value} with one byte replaced by one a word test of digits could mistake for a digit:
   * the neighbours of '0' to '9', a point, a letter, a multi-byte character whose bytes end in a
   * digit's low nibble.
   */
  private static String nearDigits(Random r, String value) {
    String[] near = {"/", ":", ".", ";", "`", "p", "y", "\u00b5", "\u00b9", " ", "-"};
    int at = r.nextInt(value.length());
    return value.substring(0, at) + near[r.nextInt(near.length)] + value.substring(at + 1);
  }

  private static String bool(Random r) {
    String[] words = {
      "true", "false", "TRUE", "False", "t", "f", "yes", "no", "1", "0", "tru", "falsy"
    };
    return words[r.nextInt(words.length)];
  }

  private static String two(Random r, int max) {
    int k = r.nextInt(20);
    if (k == 0) {
      return "x" + r.nextInt(10);
    }
    if (k == 1) {
      return String.valueOf(max + 1);
    }
    return String.format("%02d", r.nextInt(max + 1));
  }

  private static String timestamp(Random r) {
    String year =
        r.nextInt(30) == 0
            ? "2o26"
            : String.format("%04d", r.nextInt(30) == 0 ? 0 : 1970 + r.nextInt(100));
    String date =
        year + "-" + two(r, 12).replace("00", "01") + "-" + two(r, 31).replace("00", "01");
    if (r.nextInt(25) == 0) {
      date = year + "-02-" + (28 + r.nextInt(3));
    }
    String time = two(r, 23) + ":" + two(r, 59) + ":" + two(r, 59);
    String[] fractions = {".123456", "." + digits(r, 6), ".123", ".1234567", "", ".12x456"};
    String fraction =
        r.nextInt(4) != 0 ? "." + digits(r, 6) : fractions[r.nextInt(fractions.length)];
    String[] zones = {"Z", "Z", "Z", "z", "+01:00", "-0530", ""};
    String sep = r.nextInt(10) == 0 ? " " : r.nextInt(30) == 0 ? "t" : "T";
    return date + sep + time + fraction + zones[r.nextInt(zones.length)];
  }
}
