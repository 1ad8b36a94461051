package dev.parquetingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.BadRecordPolicy;
import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.common.BadRecordException;
import dev.parquetingest.common.DataSize;
import dev.parquetingest.common.IngestException;
import dev.parquetingest.datagen.Dataset;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.Source;
import dev.parquetingest.testing.DuckDb;
import dev.parquetingest.testing.DuckDbTypes;
import dev.parquetingest.testing.ParquetFooters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** CSV in, Parquet out, through the public API; every file read back by DuckDB. */
class CsvToParquetIT {
  @TempDir Path dir;

  private static List<Path> parquetFiles(Path out) throws IOException {
    try (Stream<Path> files = Files.list(out)) {
      return files
          .filter(p -> p.toString().endsWith(".parquet"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static List<String> allNames(Path out) throws IOException {
    try (Stream<Path> files = Files.list(out)) {
      return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  /** DuckDB reads the CSV itself with the same schema; both sides must hold the same rows. */
  private static void assertSameRowsAsCsv(Path csv, Schema schema, List<Path> parquet) {
    String fromCsv =
        "SELECT * FROM read_csv("
            + DuckDb.literal(csv)
            + ", header=true, quote='\"', escape='\"',"
            + " columns="
            + DuckDbTypes.columns(schema)
            + ")";
    String fromParquet = "SELECT * FROM read_parquet(" + DuckDb.literal(parquet) + ")";
    assertThat(DuckDb.scalar("SELECT count(*) FROM (" + fromParquet + ")"))
        .isEqualTo(DuckDb.scalar("SELECT count(*) FROM (" + fromCsv + ")"));
    assertThat(
            DuckDb.query(
                "SELECT count(*) FROM ((" + fromCsv + ") EXCEPT ALL (" + fromParquet + "))"))
        .containsExactly(List.of(0L));
    assertThat(
            DuckDb.query(
                "SELECT count(*) FROM ((" + fromParquet + ") EXCEPT ALL (" + fromCsv + "))"))
        .containsExactly(List.of(0L));
  }

  @ParameterizedTest
  @EnumSource(Dataset.class)
  void generatedDataRoundTripsThroughDuckDbAcrossSeveralFiles(Dataset dataset) throws IOException {
    int rows = dataset == Dataset.REVIEWS ? 30_000 : 12_000;
    Path csv = dir.resolve(dataset.id() + ".csv");
    dataset.writeCsv(csv, rows, 11);
    Path out = dir.resolve("out");

    IngestReport report =
        ParquetIngest.builder()
            .source(CsvSource.builder(csv).schema(dataset.schema()).build())
            .outputDirectory(out)
            .maxRowsPerFile(rows / 3 + 1)
            .run();

    List<Path> files = parquetFiles(out);
    assertThat(files).hasSize(3);
    assertThat(files.get(0).getFileName().toString()).isEqualTo(dataset.id() + "-00000.parquet");
    assertThat(report.rowsRead()).isEqualTo(rows);
    assertThat(report.rowsWritten()).isEqualTo(rows);
    assertThat(report.files()).hasSize(3);
    assertThat(report.bytesIn()).isEqualTo(Files.size(csv));
    long bytesOut = 0;
    for (Path f : files) {
      bytesOut += Files.size(f);
      assertThat(DuckDb.codecs(f)).containsExactly("ZSTD");
      for (BlockMetaData block : ParquetFooters.read(f).getBlocks()) {
        for (ColumnChunkMetaData c : block.getColumns()) {
          assertThat(c.getCodec()).isEqualTo(CompressionCodecName.ZSTD);
        }
      }
    }
    assertThat(report.bytesOut()).isEqualTo(bytesOut);
    String lowCardinality = dataset == Dataset.REVIEWS ? "marketplace" : "level";
    assertThat(
            DuckDb.encodings(files.get(0)).stream()
                .filter(r -> r.get(0).equals(lowCardinality))
                .map(r -> String.valueOf(r.get(1))))
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e).contains("DICTIONARY"));
    assertSameRowsAsCsv(csv, dataset.schema(), files);
    String json = Files.readString(out.resolve("_" + dataset.id() + ".report.json"));
    assertThat(json).contains("\"status\": \"succeeded\"").contains("\"rowsWritten\": " + rows);
    assertThat(allNames(out)).noneMatch(n -> n.contains("inprogress"));
  }

  @Test
  void twoWorkersWriteExactlyTheRowsOfTheFileInPartNamedFiles() throws IOException {
    Path csv = dir.resolve("reviews.csv");
    Dataset.REVIEWS.writeCsv(csv, 40_000, 21);
    Path out = dir.resolve("out");
    CsvSource source = CsvSource.builder(csv).schema(Dataset.REVIEWS.schema()).build();
    IngestReport report =
        ParquetIngest.builder().source(source).outputDirectory(out).workers(2).run();
    assertThat(report.workers()).isEqualTo(2);
    assertThat(report.rowsWritten()).isEqualTo(40_000);
    List<Path> files = parquetFiles(out);
    assertThat(files.stream().map(p -> p.getFileName().toString()))
        .containsExactly("reviews-000-00000.parquet", "reviews-001-00000.parquet");
    assertSameRowsAsCsv(csv, Dataset.REVIEWS.schema(), files);
    assertThat(Files.readString(out.resolve("_reviews.report.json"))).contains("\"workers\": 2");
  }

  @Test
  void aBadRecordInOneWorkerStopsTheOthersAndLeavesOnlyCompleteFiles() throws IOException {
    Path csv = dir.resolve("logs.csv");
    Dataset.LOGS.writeCsv(csv, 20_000, 8);
    List<String> lines = Files.readAllLines(csv);
    lines.set(15_000, lines.get(15_000).replaceFirst(",\\d{3},", ",notanumber,"));
    Files.write(csv, lines);
    Path out = dir.resolve("out");
    assertThatThrownBy(
            () ->
                ParquetIngest.builder()
                    .source(CsvSource.builder(csv).schema(Dataset.LOGS.schema()).build())
                    .outputDirectory(out)
                    .workers(2)
                    .maxRowsPerFile(4_000)
                    .run())
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("line 15001");
    assertThat(allNames(out)).noneMatch(n -> n.contains("inprogress"));
    // the failing part commits only full files; the other may have finished its part (whose last
    // file is then smaller) before it was stopped
    List<Path> files = parquetFiles(out);
    for (Path f : files) {
      boolean lastOfFirstPart =
          f.getFileName().toString().startsWith("logs-000-")
              && files.stream()
                  .noneMatch(
                      g ->
                          g.getFileName().toString().startsWith("logs-000-") && g.compareTo(f) > 0);
      if (lastOfFirstPart) {
        assertThat(DuckDb.count(f)).isBetween(1L, 4_000L);
      } else {
        assertThat(DuckDb.count(f)).as(f.toString()).isEqualTo(4_000);
      }
    }
  }

  @Test
  void inferredSchemaGivesTheSameValuesAsTheDeclaredOne() throws IOException {
    Path csv = dir.resolve("reviews.csv");
    Dataset.REVIEWS.writeCsv(csv, 5_000, 3);
    Path out = dir.resolve("out");
    CsvSource source = CsvSource.builder(csv).build();
    ParquetIngest.builder().source(source).outputDirectory(out).run();
    Schema inferred = source.schema();
    assertThat(
            inferred.fields().stream().map(f -> f.type().toString()).collect(Collectors.toList()))
        .isEqualTo(
            Dataset.REVIEWS.schema().fields().stream()
                .map(f -> f.type().toString().replace("int32", "int64")) // inference reads int64
                .collect(Collectors.toList()));
    assertSameRowsAsCsv(csv, inferred, parquetFiles(out));
  }

  @Test
  void rejectPolicyWritesTheRawRecordAndTheReasonBesideTheOutput() throws IOException {
    Path out = dir.resolve("out");
    IngestReport report =
        ParquetIngest.builder()
            .source(CsvSource.builder(CsvSourceTest.resource("ragged.csv")).build())
            .outputDirectory(out)
            .onBadRecord(BadRecordPolicy.REJECT)
            .run();
    assertThat(report.rowsRejected()).isEqualTo(2);
    assertThat(report.rowsWritten()).isEqualTo(2);
    List<String> rejects = Files.readAllLines(out.resolve("_ragged.rejects.jsonl"));
    assertThat(rejects).hasSize(2);
    assertThat(rejects.get(0))
        .contains("\"line\":3")
        .contains("expected 2 fields, found 1")
        .contains("\"record\":\"2\"");
    assertThat(rejects.get(1)).contains("\"line\":4").contains("\"record\":\"3,c,extra\"");
    assertThat(report.rejectsLocation()).endsWith("_ragged.rejects.jsonl");
    assertThat(
            DuckDb.query(
                "SELECT id, name FROM read_parquet("
                    + DuckDb.literal(parquetFiles(out))
                    + ") ORDER BY id"))
        .containsExactly(List.of(1L, "a"), List.of(4L, "d"));
  }

  @Test
  void failPolicyNamesFileLineColumnValueAndTypeAndKeepsOnlyCompleteFiles() throws IOException {
    Path csv = dir.resolve("bad.csv");
    StringBuilder text = new StringBuilder("id,rating\n");
    for (int i = 1; i <= 2500; i++) {
      text.append(i).append(',').append(i == 2200 ? "five" : String.valueOf(i % 5)).append('\n');
    }
    Files.writeString(csv, text);
    Path out = dir.resolve("out");
    assertThatThrownBy(
            () ->
                ParquetIngest.builder()
                    .source(CsvSource.builder(csv).inferenceRows(1000).build())
                    .outputDirectory(out)
                    .maxRowsPerFile(1000)
                    .run())
        .isInstanceOf(BadRecordException.class)
        .hasMessageStartingWith(
            "Cannot parse column 'rating' as int64: \"five\"; the column's type"
                + " was inferred from the first 1000 records")
        .hasMessageEndingWith("(" + csv + ", line 2201)");
    assertThat(allNames(out))
        .containsExactly(
            "_bad.manifest.jsonl", "_bad.report.json", "bad-00000.parquet", "bad-00001.parquet");
    // the manifest of a failed run lists exactly the files it committed
    assertThat(Files.readAllLines(out.resolve("_bad.manifest.jsonl")))
        .hasSize(2)
        .allMatch(l -> l.contains("bad-0000"));
    assertThat(DuckDb.count(out.resolve("bad-00001.parquet"))).isEqualTo(1000);
    assertThat(Files.readString(out.resolve("_bad.report.json")))
        .contains("\"status\": \"failed\"");
  }

  @Test
  void aCrashInTheMiddleOfAFileLeavesNothingPartial() throws IOException {
    Path csv = dir.resolve("logs.csv");
    Dataset.LOGS.writeCsv(csv, 3000, 5);
    Path out = dir.resolve("out");
    Source failing =
        new FailingSource(CsvSource.builder(csv).schema(Dataset.LOGS.schema()).build(), 2500);
    assertThatThrownBy(
            () ->
                ParquetIngest.builder()
                    .source(failing)
                    .outputDirectory(out)
                    .maxRowsPerFile(1000)
                    .run())
        .hasMessageContaining("disk on fire");
    assertThat(allNames(out))
        .containsExactly(
            "_logs.manifest.jsonl",
            "_logs.report.json",
            "logs-00000.parquet",
            "logs-00001.parquet");
    for (Path f : parquetFiles(out)) {
      assertThat(DuckDb.count(f)).isEqualTo(1000);
    }
  }

  @Test
  void neverOverwritesAndFailsBeforeReadingAnything() throws IOException {
    Path csv = CsvSourceTest.resource("crlf.csv");
    Path out = dir.resolve("out");
    ParquetIngest.builder().source(CsvSource.builder(csv).build()).outputDirectory(out).run();
    long before = Files.size(out.resolve("crlf-00000.parquet"));
    assertThatThrownBy(
            () ->
                ParquetIngest.builder()
                    .source(CsvSource.builder(csv).build())
                    .outputDirectory(out)
                    .run())
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("already holds 1 data file of prefix 'crlf'")
        .hasMessageContaining("crlf-00000.parquet");
    assertThat(Files.size(out.resolve("crlf-00000.parquet"))).isEqualTo(before);
  }

  @Test
  void targetFileSizeRollsFiles() throws IOException {
    Path csv = dir.resolve("reviews.csv");
    Dataset.REVIEWS.writeCsv(csv, 20_000, 9);
    Path out = dir.resolve("out");
    IngestReport report =
        ParquetIngest.builder()
            .source(CsvSource.builder(csv).schema(Dataset.REVIEWS.schema()).build())
            .outputDirectory(out)
            .targetFileSize(DataSize.ofMegabytes(1))
            .rowGroupSize(DataSize.ofKilobytes(512))
            .run();
    assertThat(report.files()).hasSizeGreaterThan(2);
    for (Path f : parquetFiles(out).subList(0, report.files().size() - 1)) {
      assertThat(Files.size(f)).isBetween(512L * 1024, 2L * 1024 * 1024);
    }
    assertThat(
            DuckDb.scalar(
                "SELECT count(*) FROM read_parquet(" + DuckDb.literal(parquetFiles(out)) + ")"))
        .isEqualTo(20_000L);
  }

  @Test
  void badOptionsAreRejectedAtOnceNamingOptionAndValue() {
    assertThatThrownBy(() -> ParquetIngest.builder().compressionLevel(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("compressionLevel 0");
    assertThatThrownBy(() -> ParquetIngest.builder().maxRowsPerFile(-5))
        .hasMessageContaining("maxRowsPerFile -5");
    assertThatThrownBy(() -> ParquetIngest.builder().encoder("orc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown encoder 'orc'")
        .hasMessageContaining("parquet-mr");
    assertThatThrownBy(() -> ParquetIngest.builder().filePrefix("../x"))
        .hasMessageContaining("filePrefix '../x'");
  }

  /** Delegates to a real source and fails after some rows, as a crashing disk would. */
  private static final class FailingSource implements Source {
    private final Source delegate;
    private final long failAfter;
    private long rows;

    FailingSource(Source delegate, long failAfter) {
      this.delegate = delegate;
      this.failAfter = failAfter;
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public Schema open() {
      return delegate.open();
    }

    @Override
    public boolean next(MutableRow row) {
      if (++rows > failAfter) {
        throw new IllegalStateException("disk on fire");
      }
      return delegate.next(row);
    }

    @Override
    public Position position() {
      return delegate.position();
    }

    @Override
    public long bytesRead() {
      return delegate.bytesRead();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
