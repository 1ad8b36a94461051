package dev.parquetingest.csv;

import static dev.parquetingest.csv.CsvSourceTest.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.BadRecordPolicy;
import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.common.BadInputException;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Source;
import dev.parquetingest.testing.DuckDb;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defects of the FastCSV-based reader (issue 12), one test each; every one of them failed on
 * that reader.
 */
class CsvDefectsTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void crOnlyLineEndsWithAHeaderReadEveryRow() throws IOException {
    Path file = write("cr.csv", "a,b\r1,x\r2,y\r");
    assertThat(readAll(CsvSource.builder(file).build()))
        .containsExactly(List.of(1L, "x"), List.of(2L, "y"));
    Schema schema = Schema.parse("a: int64\nb: string\n");
    assertThat(readAll(CsvSource.builder(file).schema(schema).build()))
        .containsExactly(List.of(1L, "x"), List.of(2L, "y"));
  }

  @Test
  void crOnlyLineEndsWithAHeaderSplitIntoPartsReadEveryRowWithItsLine() throws IOException {
    StringBuilder sb = new StringBuilder("a,b\r");
    for (int i = 0; i < 80_000; i++) {
      sb.append(i).append(",x").append(i).append('\r');
    }
    Path file = write("cr80k.csv", sb.toString());
    CsvSource whole = CsvSource.builder(file).build();
    whole.open();
    List<Source> parts = whole.split(2, 1);
    assertThat(parts).hasSize(2);
    long expected = 0;
    for (Source part : parts) {
      Schema schema = part.open();
      MutableRow row = new MutableRow(schema);
      while (part.next(row)) {
        assertThat(row.getLong(0)).isEqualTo(expected);
        assertThat(part.position().describe()).isEqualTo("line " + (expected + 2));
        expected++;
      }
      part.close();
    }
    whole.close();
    assertThat(expected).isEqualTo(80_000);
  }

  @Test
  void aQuoteNeverClosedIsABadRecordAtTheLineItOpensOnAndCanBeRejected() throws IOException {
    Path file = write("unclosed.csv", "a,b\n1,\"x\n2,y\n3,z\n");
    assertThat(readAll(CsvSource.builder(file).build()))
        .containsExactly(
            List.of(
                "BAD line 2: Cannot read record: the quoted field 2 is never closed (it runs"
                    + " to the end of the input)"));
    Path out = dir.resolve("out");
    IngestReport report =
        ParquetIngest.builder()
            .source(CsvSource.builder(file).schema(Schema.parse("a: int64\nb: string\n")).build())
            .outputDirectory(out)
            .onBadRecord(BadRecordPolicy.REJECT)
            .run();
    assertThat(report.rowsRejected()).isEqualTo(1);
    assertThat(report.rowsWritten()).isZero();
    assertThat(Files.readString(out.resolve("_unclosed.rejects.jsonl")))
        .contains("\"line\":2")
        .contains("never closed");
  }

  @Test
  void aStreamIsReadWholeAfterInferenceAndIsNotSplit() {
    StringBuilder sb = new StringBuilder("id,name\n");
    for (int i = 0; i < 50_000; i++) {
      sb.append(i).append(",n").append(i).append('\n');
    }
    CsvSource source =
        CsvSource.builder(
                "stdin", new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8)))
            .inferenceRows(100)
            .build();
    assertThat(source.splittable()).isFalse();
    Schema schema = source.open();
    assertThat(source.split(4, 1)).containsExactly(source);
    MutableRow row = new MutableRow(schema);
    long n = 0;
    while (source.next(row)) {
      assertThat(row.getLong(0)).isEqualTo(n);
      assertThat(row.getString(1)).isEqualTo("n" + n);
      n++;
    }
    source.close();
    assertThat(n).isEqualTo(50_000);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aFifoIsReadOnceAsAStreamThroughThePipeline() throws Exception {
    Path fifo = dir.resolve("in.csv");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write("id,name\n".getBytes(StandardCharsets.UTF_8));
                for (int i = 0; i < 30_000; i++) {
                  out.write((i + ",n" + i + "\n").getBytes(StandardCharsets.UTF_8));
                }
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    CsvSource source = CsvSource.builder(fifo).inferenceRows(500).build();
    assertThat(source.splittable()).isFalse();
    Path out = dir.resolve("out");
    IngestReport report =
        ParquetIngest.builder().source(source).outputDirectory(out).workers(4).run();
    writer.get();
    assertThat(report.rowsWritten()).isEqualTo(30_000);
    assertThat(report.workers()).isEqualTo(1);
    try (Stream<Path> files = Files.list(out)) {
      List<Path> parquet = files.filter(p -> p.toString().endsWith(".parquet")).toList();
      assertThat(DuckDb.scalar("SELECT sum(id) FROM read_parquet(" + DuckDb.literal(parquet) + ")"))
          .isEqualTo(new BigDecimal(29_999L * 30_000 / 2).toBigInteger());
    }
  }

  @Test
  void integersBeyondInt64AreInferredAsDecimalAndNeverRounded() throws IOException {
    Path file =
        write(
            "big.csv",
            "u,huge,mixed\n18446744073709551615,1" + "0".repeat(30) + ",1\n" + "1,2,1.5\n");
    CsvSource source = CsvSource.builder(file).build();
    List<List<Object>> rows = readAll(source);
    assertThat(source.schema().toString())
        .isEqualTo("u: decimal(20,0)\nhuge: string\nmixed: double\n");
    assertThat(rows.get(0))
        .containsExactly(new BigDecimal("18446744073709551615"), "1" + "0".repeat(30), 1.0);
  }

  @Test
  void numbersBeyondTheirTypesRangeAreBadRecordsAndNotInfinity() throws IOException {
    Path file = write("inf.csv", "d,f\n1e400,1\n1,1e39\nInfinity,-Infinity\n");
    Schema schema = Schema.parse("d: double\nf: float\n");
    assertThat(readAll(CsvSource.builder(file).schema(schema).build()))
        .containsExactly(
            List.of("BAD line 2: Cannot parse column 'd' as double: \"1e400\""),
            List.of("BAD line 3: Cannot parse column 'f' as float: \"1e39\""),
            List.of(Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY));
    CsvSource inferred = CsvSource.builder(file).build();
    readAll(inferred);
    assertThat(inferred.schema().field(0).type()).isEqualTo(ColumnType.string());
  }

  @Test
  void aQuotingErrorIsOneRejectedRecordAtItsOwnLineAndTheRunGoesOn() throws IOException {
    Path file = write("q.csv", "id,v\n1,\"ab\"c\n2,5\n");
    Path out = dir.resolve("out");
    IngestReport report =
        ParquetIngest.builder()
            .source(CsvSource.builder(file).schema(Schema.parse("id: int64\nv: int64\n")).build())
            .outputDirectory(out)
            .onBadRecord(BadRecordPolicy.REJECT)
            .run();
    assertThat(report.rowsRejected()).isEqualTo(1);
    assertThat(report.rowsWritten()).isEqualTo(1);
    assertThat(Files.readString(out.resolve("_q.rejects.jsonl")))
        .contains("\"line\":2")
        .contains("text after the closing quote of field 2")
        .contains("1,\\\"ab\\\"c");
  }

  @Test
  void utf16AndUtf32FilesAreNamedAsSuch() throws IOException {
    Path utf16 = dir.resolve("u16.csv");
    Files.write(
        utf16,
        concat(
            new byte[] {(byte) 0xFF, (byte) 0xFE},
            "a,b\n1,2\n".getBytes(StandardCharsets.UTF_16LE)));
    assertThatThrownBy(() -> readAll(CsvSource.builder(utf16).build()))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("u16.csv")
        .hasMessageContaining("UTF-16LE")
        .hasMessageContaining("only UTF-8");
    Schema schema = Schema.parse("a: string\nb: string\n");
    assertThatThrownBy(() -> readAll(CsvSource.builder(utf16).schema(schema).build()))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("UTF-16LE");
    Path utf32 = dir.resolve("u32.csv");
    Files.write(utf32, new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF, 0, 0, 0, 'a'});
    assertThatThrownBy(() -> readAll(CsvSource.builder(utf32).build()))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("UTF-32BE");
  }

  @Test
  void aDirectoryIsNamedAsOne() {
    assertThatThrownBy(() -> readAll(CsvSource.builder(dir).build()))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("is a directory");
    assertThatThrownBy(
            () -> readAll(CsvSource.builder(dir).schema(Schema.parse("a: string\n")).build()))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("is a directory");
  }

  @Test
  void invalidUtf8InTheHeaderIsABadInputNamingItsPlace() throws IOException {
    Path file = dir.resolve("h.csv");
    Files.write(
        file,
        concat(
            "id,na".getBytes(StandardCharsets.US_ASCII),
            new byte[] {(byte) 0xFF},
            "me\n1,x\n".getBytes(StandardCharsets.US_ASCII)));
    assertThatThrownBy(() -> readAll(CsvSource.builder(file).build()))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("header of " + file)
        .hasMessageContaining("invalid UTF-8 byte 0xFF at line 1, column 6");
  }

  @Test
  void emptyAndDuplicateHeaderNamesSayWhatIsWrong() throws IOException {
    Path dup = write("dup.csv", "a,b,a\n1,2,3\n");
    assertThatThrownBy(() -> readAll(CsvSource.builder(dup).build()))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("the column name 'a' appears twice (fields 1 and 3)");
    assertThatThrownBy(
            () ->
                readAll(
                    CsvSource.builder(dup).schema(Schema.parse("a: int64\nb: int64\n")).build()))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("the column name 'a' appears twice (fields 1 and 3)");
    Path empty = write("empty-name.csv", "a,,c\n1,2,3\n");
    CsvSource inferred = CsvSource.builder(empty).build();
    assertThat(readAll(inferred)).containsExactly(List.of(1L, 2L, 3L));
    assertThat(inferred.schema().field(1).name()).isEqualTo("column2");
    assertThatThrownBy(
            () ->
                readAll(
                    CsvSource.builder(empty)
                        .schema(Schema.parse("a: int64\nb: int64\nc: int64\n"))
                        .build()))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("field 2 of the header is empty, so it is called 'column2'");
  }

  @Test
  void inferenceMakesEveryColumnNullableAndIntegersInt64() throws IOException {
    StringBuilder sb = new StringBuilder("id,v\n");
    for (int i = 1; i <= 14_000; i++) {
      sb.append(i)
          .append(',')
          .append(i == 12_000 ? "3000000000" : i == 13_000 ? "" : "7")
          .append('\n');
    }
    Path file = write("late.csv", sb.toString());
    CsvSource source = CsvSource.builder(file).build();
    List<List<Object>> rows = readAll(source);
    assertThat(source.schema().toString()).isEqualTo("id: int64\nv: int64\n");
    assertThat(rows).hasSize(14_000).noneMatch(r -> String.valueOf(r.get(0)).startsWith("BAD"));
    assertThat(rows.get(11_999)).containsExactly(12_000L, 3_000_000_000L);
    assertThat(rows.get(12_999)).containsExactly(Arrays.asList(13_000L, null).toArray());
  }

  private static byte[] concat(byte[]... parts) {
    List<Byte> all = new ArrayList<>();
    for (byte[] p : parts) {
      for (byte b : p) {
        all.add(b);
      }
    }
    byte[] out = new byte[all.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = all.get(i);
    }
    return out;
  }
}
