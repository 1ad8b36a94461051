package dev.parquetingest.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.common.BadRecordException;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Splitting a file into byte ranges must give exactly the records of reading it whole, with the
 * same line numbers, wherever the nominal range borders fall: inside quoted newlines, between the
 * two quotes of a doubled quote, between CR and LF.
 */
class CsvSplitTest {
  @TempDir Path dir;

  /** "line N: values" per record, or "line N: BAD problem". */
  private static List<String> records(Source source, Schema schema, boolean open) {
    if (open) {
      source.open();
    }
    List<String> out = new ArrayList<>();
    MutableRow row = new MutableRow(schema);
    while (true) {
      try {
        if (!source.next(row)) {
          break;
        }
        StringBuilder sb = new StringBuilder(source.position().describe()).append(':');
        for (int i = 0; i < schema.size(); i++) {
          sb.append(' ').append(row.get(i));
        }
        out.add(sb.toString());
      } catch (BadRecordException e) {
        out.add("line " + e.line() + ": BAD " + e.problem());
      }
    }
    source.close();
    return out;
  }

  /** Records full of quoted line ends, doubled quotes and commas, some of them bad. */
  private Path trickyFile(boolean crlf, int records, long seed) throws IOException {
    Random r = new Random(seed);
    String nl = crlf ? "\r\n" : "\n";
    StringBuilder sb = new StringBuilder("id,text,n" + nl);
    String[] pieces = {"\"\"", "\n", "\r\n", ",", "a", "b c", "\"\"\"\"", "x\ny", " "};
    for (int i = 0; i < records; i++) {
      sb.append(i).append(',');
      if (r.nextInt(4) == 0) {
        sb.append("plain").append(i);
      } else {
        sb.append('"');
        int n = r.nextInt(6);
        for (int k = 0; k < n; k++) {
          sb.append(pieces[r.nextInt(pieces.length)]);
        }
        sb.append('"');
      }
      sb.append(',').append(r.nextInt(50) == 0 ? "oops" : String.valueOf(r.nextInt(1000)));
      sb.append(nl);
    }
    Path file = dir.resolve("tricky-" + crlf + "-" + seed + ".csv");
    Files.writeString(file, sb);
    return file;
  }

  @Test
  void everySplitGivesExactlyTheSequentialRecordsWithTheirLineNumbers() throws IOException {
    for (boolean crlf : new boolean[] {false, true}) {
      Path file = trickyFile(crlf, 400, crlf ? 7 : 3);
      CsvSource whole = CsvSource.builder(file).inferenceRows(10).build();
      Schema schema = whole.open();
      List<String> expected = records(whole, schema, false);
      assertThat(expected).hasSize(400);
      assertThat(expected).anyMatch(s -> s.contains("BAD"));
      long size = Files.size(file);
      for (int parts = 2; parts <= 60; parts++) {
        CsvSource splitting = CsvSource.builder(file).inferenceRows(10).build();
        splitting.open();
        List<Source> pieces = splitting.split(parts, 1);
        List<String> actual = new ArrayList<>();
        for (Source piece : pieces) {
          actual.addAll(records(piece, schema, true));
        }
        splitting.close();
        assertThat(actual)
            .as("%d parts of %d bytes, crlf=%s", parts, size, crlf)
            .isEqualTo(expected);
        assertThat(pieces).hasSizeGreaterThan(1);
      }
    }
  }

  @Test
  void aBorderAtEveryByteOfAFileWithStrayQuotesQuotedLineEndsAndCrlfGivesTheSequentialRecords()
      throws IOException {
    for (boolean crlf : new boolean[] {false, true}) {
      Path file = dir.resolve("stray-" + crlf + ".csv");
      Files.writeString(
          file,
          CsvSplitPipelineIT.trickyCsv(new Random(crlf ? 1 : 2), 60, crlf, true)
              + "100,bad,oops\n\n\r\n"
              + "101,\"last\r\n\",1\r");
      CsvSource whole = CsvSource.builder(file).inferenceRows(10).build();
      Schema schema = whole.open();
      List<String> expected = records(whole, schema, false);
      assertThat(expected).hasSize(62).anyMatch(s -> s.contains("BAD"));
      CsvSource splitting = CsvSource.builder(file).inferenceRows(10).build();
      splitting.open();
      long size = Files.size(file);
      long dataStart = crlf ? 11 : 10;
      for (long border = dataStart; border < size; border++) {
        List<String> actual = new ArrayList<>();
        List<Source> pieces = splitting.splitAt(border);
        for (Source piece : pieces) {
          actual.addAll(records(piece, schema, true));
        }
        assertThat(actual).as("border %d, crlf %s", border, crlf).isEqualTo(expected);
      }
      splitting.close();
    }
  }

  @Test
  void aFileWithoutQuotesSplitsExactlyThroughTheFullPreScan() throws IOException {
    // no quote anywhere: "inside a quoted field" stays possible after every border, so the
    // possible states never come down to one and the exact pre-scan decides
    Path file = dir.resolve("unquoted.csv");
    StringBuilder sb = new StringBuilder("id,text\r\n");
    for (int i = 0; i < 3000; i++) {
      sb.append(i).append(",plain text ").append(i).append(i % 3 == 0 ? "\r" : "\r\n");
    }
    Files.writeString(file, sb);
    CsvSource whole = CsvSource.builder(file).inferenceRows(10).build();
    Schema schema = whole.open();
    List<String> expected = records(whole, schema, false);
    for (int parts : new int[] {2, 3, 7}) {
      CsvSource splitting = CsvSource.builder(file).inferenceRows(10).build();
      splitting.open();
      List<Source> pieces = splitting.split(parts, 1);
      List<String> actual = new ArrayList<>();
      for (Source piece : pieces) {
        actual.addAll(records(piece, schema, true));
      }
      splitting.close();
      assertThat(pieces).hasSize(parts);
      assertThat(actual).as("%d parts", parts).isEqualTo(expected).hasSize(3000);
    }
  }

  @Test
  void partsReadLastFirstCountTheirLinesAndGiveTheSequentialLineNumbers() throws IOException {
    // a part's first line is counted only when asked for, from what the part before it has read:
    // read in reverse, each part counts the whole range of the one before, which is not yet read
    for (boolean crlf : new boolean[] {false, true}) {
      Path file = trickyFile(crlf, 400, crlf ? 7 : 3);
      CsvSource whole = CsvSource.builder(file).inferenceRows(10).build();
      Schema schema = whole.open();
      List<String> expected = records(whole, schema, false);
      assertThat(expected).anyMatch(s -> s.contains("BAD"));
      for (int parts = 2; parts <= 30; parts += 3) {
        CsvSource splitting = CsvSource.builder(file).inferenceRows(10).build();
        splitting.open();
        List<Source> pieces = splitting.split(parts, 1);
        assertThat(pieces).hasSizeGreaterThan(1);
        List<List<String>> read = new ArrayList<>();
        for (int k = pieces.size() - 1; k >= 0; k--) {
          read.add(0, records(pieces.get(k), schema, true));
        }
        splitting.close();
        List<String> actual = new ArrayList<>();
        read.forEach(actual::addAll);
        assertThat(actual).as("%d parts, crlf=%s", parts, crlf).isEqualTo(expected);
      }
    }
  }

  @Test
  void aPartAskedForItsLineWhileThePartBeforeIsHalfReadCountsFromWhereThatOneIs()
      throws IOException {
    // several MB, so that the first part publishes its progress (every MB) before it is done
    Path file = dir.resolve("big.csv");
    StringBuilder sb = new StringBuilder("id,text\n");
    for (int i = 0; i < 120_000; i++) {
      sb.append(i).append(i % 7 == 0 ? ",\"two\nlines " : ",\"one line ").append(i).append("\"\n");
    }
    sb.append("120000,\"bad \u00e9").append("\"\n");
    Files.writeString(file, sb);
    byte[] bytes = Files.readAllBytes(file);
    int e = bytes.length - 3; // the second byte of the é
    bytes[e] = (byte) 0x28; // an invalid continuation byte
    Files.write(file, bytes);
    CsvSource whole = CsvSource.builder(file).inferenceRows(10).build();
    Schema schema = whole.open();
    List<String> expected = records(whole, schema, false);
    assertThat(expected.get(expected.size() - 1)).contains("invalid UTF-8 byte");
    for (int firstRead : new int[] {0, 1, 50_000, 90_000}) {
      CsvSource splitting = CsvSource.builder(file).inferenceRows(10).build();
      splitting.open();
      List<Source> pieces = splitting.split(2, 1);
      assertThat(pieces).hasSize(2);
      Source first = pieces.get(0);
      first.open();
      MutableRow row = new MutableRow(schema);
      List<String> head = new ArrayList<>();
      for (int i = 0; i < firstRead && first.next(row); i++) {
        head.add(first.position().describe() + ": " + row.get(0) + " " + row.get(1));
      }
      List<String> second = records(pieces.get(1), schema, true);
      List<String> rest = records(first, schema, false);
      splitting.close();
      List<String> actual = new ArrayList<>(head);
      actual.addAll(rest);
      actual.addAll(second);
      assertThat(actual).as("first part read %d records first", firstRead).isEqualTo(expected);
    }
  }

  @Test
  void lineEndsAreCountedWordByWordAsByteByByte() throws IOException {
    Random r = new Random(5);
    byte[] bytes = new byte[4099];
    byte[] alphabet = {'\r', '\n', 'a', ',', '"'};
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = alphabet[r.nextInt(alphabet.length)];
    }
    Path file = dir.resolve("ends.bin");
    Files.write(file, bytes);
    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
      for (int from = 0; from < 40; from++) {
        for (int to = bytes.length - 40; to <= bytes.length; to += 7) {
          long expected = 0;
          for (int i = from; i < to; i++) {
            boolean afterCr = i > 0 && bytes[i - 1] == '\r';
            if (bytes[i] == '\r' || (bytes[i] == '\n' && !afterCr)) {
              expected++;
            }
          }
          assertThat(CsvSplitter.countLineEnds(ch, from, to))
              .as("[%d, %d)", from, to)
              .isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void smallFilesAreNotSplitBelowTheMinimumPartSize() throws IOException {
    Path file = trickyFile(false, 50, 1);
    CsvSource source = CsvSource.builder(file).build();
    source.open();
    assertThat(source.split(8)).hasSize(1);
    source.close();
  }

  @Test
  void fileWithoutHeaderSplitsToo() throws IOException {
    Path file = dir.resolve("nohead.csv");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      sb.append(i).append(",\"a\nb").append(i).append("\"\n");
    }
    Files.writeString(file, sb);
    CsvSource whole = CsvSource.builder(file).header(false).build();
    Schema schema = whole.open();
    List<String> expected = records(whole, schema, false);
    CsvSource splitting = CsvSource.builder(file).header(false).build();
    splitting.open();
    List<String> actual = new ArrayList<>();
    for (Source piece : splitting.split(7, 1)) {
      actual.addAll(records(piece, schema, true));
    }
    assertThat(actual).isEqualTo(expected).hasSize(300);
  }
}
