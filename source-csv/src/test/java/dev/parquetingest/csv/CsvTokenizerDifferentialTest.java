package dev.parquetingest.csv;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The byte tokenizer against FastCSV, the oracle: every CSV test file and seeded random files
 * (random quoting, delimiters, quotes, line ends LF / CR / CRLF, stray quotes inside unquoted
 * fields, multi-byte UTF-8, empty fields and lines, huge fields) must give the same records with
 * the same line numbers, read through buffers of many sizes so that refills fall everywhere. Where
 * FastCSV stops with a parse error (text after a closing quote), the tokenizer must report a
 * problem for that same record; an unclosed quote at the end is a record in both (FastCSV reads the
 * rest as the field), with a problem in ours.
 */
class CsvTokenizerDifferentialTest {
  private static final String ERROR = "PARSE ERROR";
  private static final String UNCLOSED = "UNCLOSED";

  /** The oracle's records, its last one as ours says when ours found it never closed. */
  private static List<String> expected(List<String> oracle, List<String> ours) {
    if (!ours.isEmpty() && ours.get(ours.size() - 1).endsWith(UNCLOSED) && !oracle.isEmpty()) {
      List<String> copy = new ArrayList<>(oracle);
      String last = copy.get(copy.size() - 1);
      copy.set(copy.size() - 1, last.substring(0, last.indexOf(": ") + 2) + UNCLOSED);
      return copy;
    }
    return oracle;
  }

  static Stream<Path> testFiles() throws IOException, URISyntaxException {
    Path dir = Path.of(CsvTokenizerDifferentialTest.class.getResource("/csv").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".csv")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("testFiles")
  void everyTestFileReadsAsFastCsvReadsIt(Path file) throws IOException {
    byte[] data = Files.readAllBytes(file);
    if (data.length >= 3 && (data[0] & 0xFF) == 0xEF) {
      data = Arrays.copyOfRange(data, 3, data.length);
    }
    List<String> oracle = oracle(data, ',', '"');
    for (int buffer : new int[] {1, 2, 3, 7, 16, 64, 1 << 16}) {
      List<String> ours = ours(data, ',', '"', buffer);
      assertThat(ours).as("%s, buffer %d", file, buffer).isEqualTo(expected(oracle, ours));
    }
  }

  @Test
  void theLowestFlaggedByteIsNumberOfTrailingZerosOverEight() {
    // every set of flagged bytes (the high bit of each, as the word scans give them)
    for (int set = 1; set < 256; set++) {
      long m = 0;
      for (int k = 0; k < 8; k++) {
        if ((set & (1 << k)) != 0) {
          m |= 0x80L << (8 * k);
        }
      }
      assertThat(CsvTokenizer.lowestFlaggedByte(m))
          .as("%016x", m)
          .isEqualTo(Long.numberOfTrailingZeros(m) >>> 3);
    }
  }

  @Test
  void seededRandomFilesReadAsFastCsvReadsThem() {
    char[][] dialects = {{',', '"'}, {';', '"'}, {'\t', '\''}, {'|', '"'}};
    for (int seed = 0; seed < 2000; seed++) {
      Random r = new Random(seed);
      char[] dialect = dialects[seed % dialects.length];
      byte[] data = randomCsv(r, dialect[0], dialect[1], seed % 50 == 7);
      List<String> oracle = oracle(data, dialect[0], dialect[1]);
      int buffer = 1 + r.nextInt(r.nextBoolean() ? 40 : 5000);
      List<String> ours = ours(data, dialect[0], dialect[1], buffer);
      assertThat(ours)
          .as("seed %d, buffer %d, input %s", seed, buffer, printable(data))
          .isEqualTo(expected(oracle, ours));
    }
  }

  /**
   * Structural bytes at every offset of a word: fields of 0 to 20 bytes made of the bytes that the
   * word tests could mistake (each structural byte plus one, which a borrow can flag; control bytes
   * below and at {@code 0x0E}; NUL; non-ASCII), quoted fields holding delimiters, doubled quotes
   * and every line end, records long and short, read through buffers of many sizes.
   */
  @Test
  void structuralBytesAtEveryWordOffsetReadAsFastCsvReadsThem() {
    char[][] dialects = {{',', '"'}, {';', '"'}, {'\t', '\''}, {'|', '"'}};
    String[] lineEnds = {"\n", "\r\n", "\r"};
    for (int seed = 0; seed < 1500; seed++) {
      Random r = new Random(seed);
      char d = dialects[seed % dialects.length][0];
      char q = dialects[seed % dialects.length][1];
      String[] text = {
        "a",
        "bc",
        String.valueOf((char) (d ^ 1)),
        String.valueOf((char) (q ^ 1)),
        "\u000b",
        "\u000c",
        "\u000e",
        "\u0001",
        "\u0000",
        "\t",
        "-",
        " ",
        "é",
        "😀",
        "0123456"
      };
      StringBuilder sb = new StringBuilder();
      int records = 1 + r.nextInt(40);
      for (int i = 0; i < records; i++) {
        int fields = 1 + r.nextInt(r.nextBoolean() ? 3 : 30);
        for (int f = 0; f < fields; f++) {
          if (f > 0) {
            sb.append(d);
          }
          int n = r.nextInt(21);
          if (r.nextInt(5) == 0) {
            sb.append(q);
            while (n-- > 0) {
              switch (r.nextInt(10)) {
                case 0 -> sb.append(q).append(q);
                case 1 -> sb.append(lineEnds[r.nextInt(3)]);
                case 2 -> sb.append(d);
                default -> sb.append(text[r.nextInt(text.length)]);
              }
            }
            sb.append(q);
          } else {
            for (int k = 0; k < n; k++) {
              String t = text[r.nextInt(text.length)];
              if (t.charAt(0) == d || (k == 0 && t.charAt(0) == q)) {
                t = "z";
              }
              sb.append(k > 0 && r.nextInt(15) == 0 ? String.valueOf(q) : t);
            }
          }
        }
        sb.append(lineEnds[r.nextInt(3)]);
      }
      byte[] data = sb.toString().getBytes(StandardCharsets.UTF_8);
      List<String> oracle = oracle(data, d, q);
      int buffer = r.nextInt(3) == 0 ? 1 << 16 : 1 + r.nextInt(300);
      assertThat(ours(data, d, q, buffer))
          .as("seed %d, buffer %d, input %s", seed, buffer, printable(data))
          .isEqualTo(oracle);
    }
  }

  @Test
  void theGeneratorCoversWhatItClaims() {
    // the random files above must hold every case the class comment names, or the test proves less
    int errors = 0;
    int strayQuotes = 0;
    int crOnly = 0;
    int multiByte = 0;
    for (int seed = 0; seed < 400; seed++) {
      Random r = new Random(seed);
      char[][] dialects = {{',', '"'}, {';', '"'}, {'\t', '\''}, {'|', '"'}};
      char[] dialect = dialects[seed % dialects.length];
      byte[] data = randomCsv(r, dialect[0], dialect[1], seed % 50 == 7);
      String text = new String(data, StandardCharsets.UTF_8);
      errors += oracle(data, dialect[0], dialect[1]).contains(ERROR) ? 1 : 0;
      strayQuotes +=
          text.matches("(?s).*[a-z]" + (dialect[1] == '"' ? "\"" : "'") + "[a-z ].*") ? 1 : 0;
      crOnly += text.matches("(?s).*\r[^\n].*") ? 1 : 0;
      multiByte += text.contains("é") || text.contains("😀") ? 1 : 0;
    }
    assertThat(errors).isBetween(5, 300);
    assertThat(strayQuotes).isGreaterThan(100);
    assertThat(crOnly).isGreaterThan(100);
    assertThat(multiByte).isGreaterThan(100);
  }

  static byte[] randomCsv(Random r, char delimiter, char quote, boolean huge) {
    String[] lineEnds = {"\n", "\r\n", "\r"};
    String lineEnd = lineEnds[r.nextInt(3)];
    boolean mixedLineEnds = r.nextInt(4) == 0;
    String[] text = {"a", "b", "xyz", " ", "é", "中文", "😀", "12", "-3.5", String.valueOf(quote)};
    StringBuilder sb = new StringBuilder();
    int records = r.nextInt(30);
    for (int i = 0; i < records; i++) {
      if (r.nextInt(15) == 0) {
        sb.append(mixedLineEnds ? lineEnds[r.nextInt(3)] : lineEnd); // an empty line
      }
      int fields = 1 + r.nextInt(5);
      for (int f = 0; f < fields; f++) {
        if (f > 0) {
          sb.append(delimiter);
        }
        int kind = r.nextInt(10);
        if (kind < 2) {
          continue; // empty field
        }
        if (kind < 6) {
          // unquoted, with stray quotes anywhere but first
          int n = 1 + r.nextInt(4);
          sb.append((char) ('a' + r.nextInt(26)));
          for (int k = 0; k < n; k++) {
            sb.append(text[r.nextInt(text.length)]);
          }
          continue;
        }
        sb.append(quote);
        int n = r.nextInt(6);
        for (int k = 0; k < n; k++) {
          switch (r.nextInt(8)) {
            case 0 -> sb.append(quote).append(quote);
            case 1 -> sb.append(lineEnds[r.nextInt(3)]);
            case 2 -> sb.append(delimiter);
            default -> sb.append(text[r.nextInt(text.length - 1)]);
          }
        }
        if (huge && r.nextInt(10) == 0) {
          sb.append("h".repeat(200_000 + r.nextInt(300_000)));
        }
        if (r.nextInt(60) == 0) {
          sb.append("stray"); // text after the quote that should close: FastCSV stops here
        }
        if (i < records - 1 || r.nextInt(10) != 0) {
          sb.append(quote);
        } // else: a quote never closed, at the end of the input
        if (r.nextInt(80) == 0) {
          sb.append('x'); // text after the closing quote
        }
      }
      if (i < records - 1 || r.nextBoolean()) {
        sb.append(mixedLineEnds ? lineEnds[r.nextInt(3)] : lineEnd);
      }
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** "line N: [fields]" per record; ERROR where a record has broken quoting, and nothing after. */
  static List<String> ours(byte[] data, char delimiter, char quote, int buffer) {
    List<String> out = new ArrayList<>();
    try (CsvTokenizer t =
        new CsvTokenizer(
            new ByteArrayInputStream(data),
            (byte) delimiter,
            (byte) quote,
            0,
            1,
            -1,
            1 << 26,
            buffer)) {
      while (t.next()) {
        if (t.problem() != null && t.problem().contains("after the closing quote")) {
          out.add(ERROR);
          break;
        }
        List<String> fields = new ArrayList<>();
        for (int f = 0; f < t.fields(); f++) {
          fields.add(new String(t.bytes(f), t.start(f), t.length(f), StandardCharsets.UTF_8));
          if (t.ascii()) {
            // the decoder then skips the UTF-8 check of every field
            for (int i = t.start(f); i < t.start(f) + t.length(f); i++) {
              assertThat(t.bytes(f)[i]).as("line %d, field %d", t.recordLine(), f).isNotNegative();
            }
          }
        }
        if (t.problem() != null) {
          // the rest of the input; FastCSV's field differs in how it ends (a doubled quote at the
          // very end), which does not matter for a record that is bad anyway
          assertThat(t.problem()).contains("never closed");
          assertThat(t.offset()).isEqualTo(data.length);
          out.add("line " + t.recordLine() + ": " + UNCLOSED);
        } else {
          out.add("line " + t.recordLine() + ": " + fields);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static List<String> oracle(byte[] data, char delimiter, char quote) {
    List<String> out = new ArrayList<>();
    try {
      for (CsvRecord r :
          CsvReader.builder()
              .fieldSeparator(delimiter)
              .quoteCharacter(quote)
              .skipEmptyLines(true)
              .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
              .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
              .ofCsvRecord(
                  new InputStreamReader(new ByteArrayInputStream(data), StandardCharsets.UTF_8))) {
        out.add("line " + r.getStartingLineNumber() + ": " + r.getFields());
      }
    } catch (CsvParseException e) {
      out.add(ERROR);
    }
    return out;
  }

  private static String printable(byte[] data) {
    String s = new String(data, StandardCharsets.UTF_8);
    if (s.length() > 600) {
      s = s.substring(0, 600) + "...";
    }
    return s.replace("\r", "\\r").replace("\n", "\\n\n");
  }
}
