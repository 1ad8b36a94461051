package dev.parquetingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.BadRecordPolicy;
import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.common.BadRecordException;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.testing.DuckDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A split file read through the real pipeline with 1 to 16 workers, under both bad-record policies,
 * gives exactly the rows and bad records (with their lines) of one sequential reader: files full of
 * quotes inside unquoted fields (which defeat a quote-parity split), quoted LF and CRLF line ends,
 * and doubled quotes. Rows are read back with DuckDB.
 */
class CsvSplitPipelineIT {
  private static final Schema SCHEMA = Schema.parse("id: int64\ntext: string\nn: int64\n");
  private static final Pattern LINE = Pattern.compile("\"line\":(\\d+)");

  @TempDir Path dir;

  /** Records with stray quotes, quoted line ends and doubled quotes; bad ones if asked. */
  static String trickyCsv(Random r, int records, boolean crlf, boolean withBad) {
    String nl = crlf ? "\r\n" : "\n";
    StringBuilder sb = new StringBuilder("id,text,n" + nl);
    for (int i = 0; i < records; i++) {
      sb.append(i).append(',');
      switch (r.nextInt(5)) {
        case 0 -> sb.append("12\" screen ").append(i); // a quote inside an unquoted field: text
        case 1 -> sb.append("plain ").append(i);
        case 2 -> sb.append("\"line one\nline \"\"two\"\"\r\nthree, ").append(i).append('"');
        case 3 -> sb.append("\"\"\"\"");
        default -> sb.append("a \"quoted\" word \"").append(i);
      }
      sb.append(',')
          .append(withBad && r.nextInt(300) == 0 ? "oops" : String.valueOf(r.nextInt(1000)));
      sb.append(nl);
    }
    return sb.toString();
  }

  /** The sequential reader's good rows ("id|text|n") and bad lines. */
  private static List<List<String>> sequential(Path csv) {
    List<String> rows = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    CsvSource source = CsvSource.builder(csv).schema(SCHEMA).build();
    source.open();
    MutableRow row = new MutableRow(SCHEMA);
    while (true) {
      try {
        if (!source.next(row)) {
          break;
        }
        rows.add(row.getLong(0) + "|" + row.getString(1) + "|" + row.getLong(2));
      } catch (BadRecordException e) {
        bad.add(String.valueOf(e.line()));
      }
    }
    source.close();
    return List.of(rows, bad);
  }

  /** How many parts the runtime gets (the report counts lanes running at once, not parts). */
  private static int parts(Path csv, int workers, long minPartBytes) {
    CsvSource source = CsvSource.builder(csv).schema(SCHEMA).build();
    source.open();
    int n = source.split(workers, minPartBytes).size();
    source.close();
    return n;
  }

  private static List<String> parquetRows(Path out) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(out)) {
      files = s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
    }
    List<String> rows = new ArrayList<>();
    for (List<Object> r :
        DuckDb.query(
            "SELECT id, text, n FROM read_parquet(" + DuckDb.literal(files) + ") ORDER BY id")) {
      rows.add(r.get(0) + "|" + r.get(1) + "|" + r.get(2));
    }
    return rows;
  }

  private static List<String> rejectedLines(Path out) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> s = Files.list(out)) {
      for (Path p : s.filter(p -> p.getFileName().toString().contains("rejects")).toList()) {
        for (String l : Files.readAllLines(p)) {
          Matcher m = LINE.matcher(l);
          assertThat(m.find()).as(l).isTrue();
          lines.add(m.group(1));
        }
      }
    }
    lines.sort(java.util.Comparator.comparingLong(Long::parseLong));
    return lines;
  }

  @Test
  void everyWorkerCountRejectsExactlyTheBadRecordsAndWritesExactlyTheGoodRows() throws IOException {
    for (boolean crlf : new boolean[] {false, true}) {
      Path csv = dir.resolve("tricky-" + crlf + ".csv");
      Files.writeString(csv, trickyCsv(new Random(crlf ? 5 : 6), 6000, crlf, true));
      List<List<String>> expected = sequential(csv);
      assertThat(expected.get(1)).hasSizeGreaterThan(5);
      long size = Files.size(csv);
      for (int workers = 1; workers <= 16; workers++) {
        Path out = dir.resolve("out-" + crlf + "-" + workers);
        IngestReport report =
            ParquetIngest.builder()
                .source(
                    CsvSource.builder(csv)
                        .schema(SCHEMA)
                        .minPartBytes(size / workers / 2 + 1)
                        .build())
                .outputDirectory(out)
                .workers(workers)
                .onBadRecord(BadRecordPolicy.REJECT)
                .run();
        assertThat(parts(csv, workers, size / workers / 2 + 1)).isEqualTo(workers);
        assertThat(report.rowsRead()).isEqualTo(expected.get(0).size() + expected.get(1).size());
        assertThat(report.rowsRejected()).isEqualTo(expected.get(1).size());
        assertThat(rejectedLines(out))
            .as("%d workers, crlf %s", workers, crlf)
            .isEqualTo(expected.get(1));
        assertThat(parquetRows(out))
            .as("%d workers, crlf %s", workers, crlf)
            .isEqualTo(expected.get(0));
      }
    }
  }

  @Test
  void underTheFailPolicyEveryWorkerCountReadsAGoodFileWholeAndFailsOnlyOnABadRecord()
      throws IOException {
    Path good = dir.resolve("good.csv");
    Files.writeString(good, trickyCsv(new Random(9), 6000, true, false));
    List<List<String>> expected = sequential(good);
    assertThat(expected.get(1)).isEmpty();
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, trickyCsv(new Random(10), 6000, false, true));
    List<String> badLines = sequential(bad).get(1);
    for (int workers = 1; workers <= 16; workers++) {
      Path out = dir.resolve("good-" + workers);
      IngestReport report =
          ParquetIngest.builder()
              .source(
                  CsvSource.builder(good)
                      .schema(SCHEMA)
                      .minPartBytes(Files.size(good) / workers / 2 + 1)
                      .build())
              .outputDirectory(out)
              .workers(workers)
              .run();
      assertThat(parts(good, workers, Files.size(good) / workers / 2 + 1)).isEqualTo(workers);
      assertThat(parquetRows(out)).as("%d workers", workers).isEqualTo(expected.get(0));
      int w = workers;
      assertThatThrownBy(
              () ->
                  ParquetIngest.builder()
                      .source(
                          CsvSource.builder(bad)
                              .schema(SCHEMA)
                              .minPartBytes(Files.size(bad) / w / 2 + 1)
                              .build())
                      .outputDirectory(dir.resolve("bad-" + w))
                      .workers(w)
                      .run())
          .isInstanceOf(BadRecordException.class)
          .satisfies(
              e -> assertThat(badLines).contains(String.valueOf(((BadRecordException) e).line())))
          .hasMessageContaining("Cannot parse column 'n' as int64: \"oops\"");
    }
  }
}
