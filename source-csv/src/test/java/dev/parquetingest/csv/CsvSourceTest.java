package dev.parquetingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.common.BadInputException;
import dev.parquetingest.common.BadRecordException;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV edge cases, each a data file under src/test/resources/csv. */
class CsvSourceTest {
  @TempDir Path dir;

  static Path resource(String name) {
    try {
      return Path.of(CsvSourceTest.class.getResource("/csv/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  /** Every record as boxed values; bad records as "BAD line N: problem". */
  static List<List<Object>> readAll(CsvSource source) {
    List<List<Object>> out = new ArrayList<>();
    Schema schema = source.open();
    MutableRow row = new MutableRow(schema);
    try (source) {
      while (true) {
        try {
          if (!source.next(row)) {
            break;
          }
          List<Object> values = new ArrayList<>();
          for (int i = 0; i < schema.size(); i++) {
            values.add(row.get(i));
          }
          out.add(values);
        } catch (BadRecordException e) {
          out.add(List.of("BAD line " + e.line() + ": " + e.problem()));
        }
      }
    }
    return out;
  }

  static List<List<Object>> read(String name) {
    return readAll(CsvSource.builder(resource(name)).build());
  }

  @Test
  void quotedDelimitersAndDoubledQuotes() {
    assertThat(read("quotes.csv"))
        .containsExactly(
            List.of(1L, "a, b"),
            List.of(2L, "she said \"hi\""),
            List.of(3L, "plain"),
            List.of(4L, "\""));
  }

  @Test
  void quotedNewlinesKeepTheirLineEndsAndLineNumbersStayPhysical() {
    CsvSource source = CsvSource.builder(resource("quoted_newlines.csv")).build();
    Schema schema = source.open();
    MutableRow row = new MutableRow(schema);
    List<String> seen = new ArrayList<>();
    while (source.next(row)) {
      seen.add(source.position().describe() + "=" + row.getString(1));
    }
    source.close();
    assertThat(seen)
        .containsExactly("line 2=line one\nline two", "line 4=crlf\r\ninside", "line 6=after");
  }

  @Test
  void crlfLineEnds() {
    assertThat(read("crlf.csv"))
        .containsExactly(List.of(1L, "alpha"), List.of(2L, "beta"), List.of(3L, "gamma"));
  }

  @Test
  void utf8ByteOrderMarkIsSkipped() {
    CsvSource source = CsvSource.builder(resource("bom.csv")).build();
    assertThat(readAll(source)).containsExactly(List.of(1L, "alpha"), List.of(2L, "beta"));
    assertThat(source.schema().field(0).name()).isEqualTo("id");
  }

  @Test
  void emptyFieldsAreNullButAQuotedEmptyStringIsEmpty() {
    List<List<Object>> rows = read("empty_fields.csv");
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0)).containsExactly(1L, null, null);
    assertThat(rows.get(1)).containsExactly(2L, "", 5L);
    assertThat(rows.get(2)).containsExactly(3L, "x", null);
  }

  @Test
  void raggedRecordsAreBadRecordsWithTheirLineAndTheRestIsRead() {
    Schema schema =
        Schema.builder()
            .optional("id", ColumnType.int32())
            .optional("name", ColumnType.string())
            .build();
    assertThat(readAll(CsvSource.builder(resource("ragged.csv")).schema(schema).build()))
        .containsExactly(
            List.of(1, "a"),
            List.of("BAD line 3: Cannot read record: expected 2 fields, found 1"),
            List.of("BAD line 4: Cannot read record: expected 2 fields, found 3"),
            List.of(4, "d"));
  }

  @Test
  void invalidUtf8IsABadRecordNamingLineColumnAndByte() {
    CsvSource source = CsvSource.builder(resource("invalid_utf8.csv")).build();
    Schema schema = source.open();
    MutableRow row = new MutableRow(schema);
    assertThat(source.next(row)).isTrue();
    assertThatThrownBy(() -> source.next(row))
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("invalid UTF-8 byte 0xFF at line 3, column 6")
        .hasMessageContaining("line 3")
        .satisfies(e -> assertThat(((BadRecordException) e).rawRecord()).startsWith("2,bad"));
    assertThat(source.next(row)).isTrue();
    assertThat(row.getString(1)).isEqualTo("fine");
    assertThat(source.next(row)).isFalse();
    source.close();
  }

  @Test
  void hugeFieldIsReadWhole() throws IOException {
    String big = "x".repeat(3_000_000);
    Path file = dir.resolve("huge.csv");
    Files.writeString(file, "id,text\n1,\"" + big + "\"\n2,small\n");
    List<List<Object>> rows = read(file);
    assertThat(rows).hasSize(2);
    assertThat(((String) rows.get(0).get(1))).hasSize(3_000_000);
  }

  @Test
  void fieldLongerThanTheLimitIsABadInputNamingTheLimit() throws IOException {
    Path file = dir.resolve("toolong.csv");
    Files.writeString(file, "id,text\n1,ok\n2,\"" + "y".repeat(100_000) + "\"\n");
    Schema schema =
        Schema.builder()
            .optional("id", ColumnType.int32())
            .optional("text", ColumnType.string())
            .build();
    CsvSource source = CsvSource.builder(file).schema(schema).maxFieldChars(10_000).build();
    source.open();
    MutableRow row = new MutableRow(schema);
    assertThat(source.next(row)).isTrue();
    assertThatThrownBy(() -> source.next(row))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("toolong.csv")
        .hasMessageContaining("record at line 3")
        .hasMessageContaining("maxFieldChars");
    source.close();
  }

  @Test
  void aQuoteNeverClosedIsABadRecordNamingTheLineItStartsOn() {
    assertThat(read("unclosed_quote.csv"))
        .containsExactly(
            List.of(1L, "ok"),
            List.of(
                "BAD line 3: Cannot read record: the quoted field 2 is never closed (it runs to"
                    + " the end of the input)"));
  }

  @Test
  void emptyFileCannotBeInferredButReadsAsNothingWithASchema() {
    assertThatThrownBy(() -> read("empty.csv"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("empty.csv")
        .hasMessageContaining("empty");
    Schema schema = Schema.builder().optional("id", ColumnType.int32()).build();
    assertThat(readAll(CsvSource.builder(resource("empty.csv")).schema(schema).build())).isEmpty();
  }

  @Test
  void headerOnlyGivesNullableStringColumnsAndNoRows() {
    CsvSource source = CsvSource.builder(resource("header_only.csv")).build();
    assertThat(readAll(source)).isEmpty();
    assertThat(source.schema().toString()).isEqualTo("id: string\nname: string\nscore: string\n");
  }

  @Test
  void typesAreInferredAndAValueThatDoesNotFitLaterIsABadRecord() {
    CsvSource source = CsvSource.builder(resource("types.csv")).inferenceRows(3).build();
    List<List<Object>> rows = readAll(source);
    assertThat(source.schema().toString())
        .isEqualTo(
            "id: int64\nflag: boolean\nrating: int64\nbig: int64\nprice: double\n"
                + "day: date\nat: timestamp(micros)\namount: double\n");
    assertThat(rows.get(0))
        .containsExactly(
            1L,
            true,
            5L,
            9_000_000_000L,
            1.5,
            LocalDate.of(2024, 2, 29),
            Instant.parse("2024-01-02T03:04:05.123456Z"),
            12.34);
    assertThat(rows.get(1))
        .containsExactly(
            2L,
            false,
            -3L,
            -1L,
            -0.25,
            LocalDate.of(1969, 12, 31),
            Instant.parse("2024-01-02T01:04:05Z"),
            -0.5);
    assertThat(rows.get(2)).containsExactly(3L, null, null, null, null, null, null, null);
    assertThat((String) rows.get(3).get(0))
        .startsWith(
            "BAD line 5: Cannot parse column 'rating' as int64: \"five\"; the column's type"
                + " was inferred from the first 3 records")
        .contains("--inference-rows")
        .contains("--schema");
  }

  @Test
  void explicitSchemaWithDecimalsAndMillisAndMessagesNamingTheColumn() {
    Schema schema =
        Schema.parse(
            "id: int64 not null\nflag: boolean\nrating: int32\nbig: int64\nprice: float\n"
                + "day: date\nat: timestamp(millis)\namount: decimal(5,2)\n");
    List<List<Object>> rows =
        readAll(CsvSource.builder(resource("types.csv")).schema(schema).build());
    assertThat(rows)
        .containsExactly(
            List.of(
                "BAD line 2: Cannot parse column 'at' as timestamp(millis): \"2024-01-02T03:04:05.123456Z\""),
            List.of(
                2L,
                false,
                -3,
                -1L,
                -0.25f,
                LocalDate.of(1969, 12, 31),
                Instant.parse("2024-01-02T01:04:05Z"),
                new BigDecimal("-0.50")),
            Arrays.asList(3L, null, null, null, null, null, null, null),
            List.of("BAD line 5: Cannot parse column 'rating' as int32: \"five\""));
  }

  @Test
  void decimalsMustFitWithoutRounding() throws IOException {
    Path file = dir.resolve("dec.csv");
    Files.writeString(file, "v\n12.34\n-0.5\n12.340\n123.45\n1.234\n99999999999999999999.12\n");
    Schema schema = Schema.builder().optional("v", ColumnType.decimal(4, 2)).build();
    assertThat(readAll(CsvSource.builder(file).schema(schema).build()))
        .containsExactly(
            List.of(new BigDecimal("12.34")),
            List.of(new BigDecimal("-0.50")),
            List.of(new BigDecimal("12.34")),
            List.of("BAD line 5: Cannot parse column 'v' as decimal(4,2): \"123.45\""),
            List.of("BAD line 6: Cannot parse column 'v' as decimal(4,2): \"1.234\""),
            List.of(
                "BAD line 7: Cannot parse column 'v' as decimal(4,2): \"99999999999999999999.12\""));
    Schema wide = Schema.builder().optional("v", ColumnType.decimal(30, 3)).build();
    assertThat(readAll(CsvSource.builder(file).schema(wide).build()).get(5))
        .containsExactly(new BigDecimal("99999999999999999999.120"));
  }

  @Test
  void doublesParseExactlyLikeTheJdk() throws IOException {
    String[] values = {
      "0",
      "-0",
      "1.5",
      "3.141592653589793",
      "0.1",
      "123456789012345",
      "1234567890123456789",
      "1e10",
      "-2.5E-3",
      "NaN",
      "Infinity",
      "-Infinity",
      "0.30000000000000004",
      ".5",
      "5.",
      // the edges of the fast path (at most 18 digits, digits making at most 2^53)
      "9007199254740992",
      "9007199254740993",
      "0.9007199254740993",
      "123456789012345678",
      "0.000000000000000001",
      "-0.0000000000000000000001",
      "1234567.891011121",
      "4.35",
      "+7.25",
      "1.7976931348623157",
      "000000000000000000001.5"
    };
    // and seeded random ones of 1 to 20 digits with or without a dot anywhere
    java.util.Random random = new java.util.Random(20261201);
    List<String> all = new java.util.ArrayList<>(List.of(values));
    for (int k = 0; k < 2000; k++) {
      StringBuilder v = new StringBuilder(random.nextBoolean() ? "" : "-");
      int digits = 1 + random.nextInt(20);
      int dot = random.nextInt(digits + 2);
      for (int d = 0; d < digits; d++) {
        if (d == dot) {
          v.append('.');
        }
        v.append((char) ('0' + random.nextInt(10)));
      }
      all.add(v.toString());
    }
    values = all.toArray(new String[0]);
    Path file = dir.resolve("d.csv");
    Files.writeString(file, "v\n" + String.join("\n", values) + "\n");
    Schema schema = Schema.builder().optional("v", ColumnType.float64()).build();
    List<List<Object>> rows = readAll(CsvSource.builder(file).schema(schema).build());
    for (int i = 0; i < values.length; i++) {
      assertThat(rows.get(i)).as(values[i]).containsExactly(Double.parseDouble(values[i]));
    }
  }

  @Test
  void headerColumnsAreMatchedByNameAndUnknownOnesAreRefused() {
    Schema reordered =
        Schema.builder()
            .optional("name", ColumnType.string())
            .optional("id", ColumnType.int64())
            .build();
    assertThat(readAll(CsvSource.builder(resource("crlf.csv")).schema(reordered).build()).get(0))
        .containsExactly("alpha", 1L);
    Schema other = Schema.builder().optional("id", ColumnType.int64()).build();
    assertThatThrownBy(() -> readAll(CsvSource.builder(resource("crlf.csv")).schema(other).build()))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("'name'")
        .hasMessageContaining("crlf.csv");
  }

  @Test
  void missingFileIsABadInputNamingIt() {
    assertThatThrownBy(() -> read(dir.resolve("nope.csv")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("nope.csv")
        .hasMessageContaining("no such file");
  }

  @Test
  void noHeaderDelimiterAndNullTokens() throws IOException {
    Path file = dir.resolve("semi.csv");
    Files.writeString(file, "1;NULL;x\n2;\\N;'a;b'\n");
    List<List<Object>> rows =
        readAll(
            CsvSource.builder(file)
                .header(false)
                .delimiter(';')
                .quote('\'')
                .nullTokens("NULL", "\\N")
                .build());
    assertThat(rows).containsExactly(Arrays.asList(1L, null, "x"), Arrays.asList(2L, null, "a;b"));
  }

  static List<List<Object>> read(Path file) {
    return readAll(CsvSource.builder(file).build());
  }
}
