package dev.parquetingest.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.common.BadRecordException;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Text values are handed to the row as ranges of the read buffer (or of the scratch array) and an
 * all-ASCII record skips the UTF-8 check per field: every value read must still be the field's
 * text, whatever the refills between records, and invalid UTF-8 must still be caught in a record
 * that is not all ASCII.
 */
class TextByReferenceTest {
  private static final Schema SCHEMA =
      Schema.builder()
          .optional("id", ColumnType.int64())
          .optional("a", ColumnType.string())
          .optional("b", ColumnType.binary())
          .optional("c", ColumnType.string())
          .build();

  private static final String[] PIECES = {
    "x",
    "plain",
    "é",
    "日本",
    "🙂",
    "a\"b",
    ",",
    "line\nbreak",
    "cr\r\nlf",
    "",
    " ",
    "0123456789abcdef"
  };

  @Test
  void everyValueIsTheFieldsTextThroughSmallBuffersAndRefills() {
    SplittableRandom random = new SplittableRandom(12);
    StringBuilder csv = new StringBuilder("id,a,b,c\n");
    List<List<String>> expected = new ArrayList<>();
    for (int r = 0; r < 3000; r++) {
      List<String> values = new ArrayList<>();
      csv.append(r);
      for (int f = 0; f < 3; f++) {
        StringBuilder v = new StringBuilder();
        int n = random.nextInt(random.nextInt(10) == 0 ? 60 : 4);
        for (int i = 0; i < n; i++) {
          v.append(PIECES[random.nextInt(PIECES.length)]);
        }
        String value = v.toString();
        boolean quote = random.nextBoolean() || value.isEmpty();
        csv.append(',');
        if (quote || value.matches("(?s).*[,\"\r\n].*") || value.startsWith(" ")) {
          csv.append('"').append(value.replace("\"", "\"\"")).append('"');
        } else {
          csv.append(value);
        }
        values.add(value);
      }
      csv.append(random.nextBoolean() ? "\n" : "\r\n");
      expected.add(values);
    }
    byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
    for (int bufferSize : new int[] {16, 100, 4096, CsvTokenizer.DEFAULT_BUFFER}) {
      CsvSource source =
          CsvSource.builder("gen.csv", new ByteArrayInputStream(bytes))
              .schema(SCHEMA)
              .bufferSize(bufferSize)
              .build();
      source.open();
      MutableRow row = new MutableRow(SCHEMA);
      List<List<String>> read = new ArrayList<>();
      try (source) {
        while (source.next(row)) {
          List<String> values = new ArrayList<>();
          for (int c = 1; c <= 3; c++) {
            values.add(
                row.isNull(c)
                    ? null
                    : new String(
                        row.bytes(c),
                        row.bytesOffset(c),
                        row.bytesLength(c),
                        StandardCharsets.UTF_8));
          }
          read.add(values);
        }
      }
      assertThat(read).as("buffer of %d bytes", bufferSize).isEqualTo(expected);
    }
  }

  @Test
  void invalidUtf8InARecordThatIsNotAllAsciiIsStillABadRecord() {
    byte[] csv =
        concat(
            "id,a,b,c\n1,é,ok,fine\n2,é,".getBytes(StandardCharsets.UTF_8),
            new byte[] {'x', (byte) 0xC3, '('},
            ",z\n3,\"é\",\"\",\"ok\"\n4,ascii,".getBytes(StandardCharsets.UTF_8),
            new byte[] {(byte) 0xFF},
            ",z\n".getBytes(StandardCharsets.UTF_8));
    CsvSource source =
        CsvSource.builder("bad.csv", new ByteArrayInputStream(csv)).schema(SCHEMA).build();
    source.open();
    MutableRow row = new MutableRow(SCHEMA);
    List<String> seen = new ArrayList<>();
    try (source) {
      while (true) {
        try {
          if (!source.next(row)) {
            break;
          }
          seen.add(row.getLong(0) + ":" + row.getString(1) + ":" + row.getString(3));
        } catch (BadRecordException e) {
          seen.add("BAD line " + e.line() + ": " + e.problem());
        }
      }
    }
    assertThat(seen)
        .containsExactly(
            "1:é:fine",
            "BAD line 3: Cannot decode record: invalid UTF-8 byte 0xC3 at line 3, column 7 (byte"
                + " offset 28)",
            "3:é:ok",
            "BAD line 5: Cannot decode record: invalid UTF-8 byte 0xFF at line 5, column 9 (byte"
                + " offset 56)");
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
