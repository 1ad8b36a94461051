package dev.parquetingest.backend.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.DataSize;
import dev.parquetingest.datagen.Dataset;
import dev.parquetingest.internal.Encoders;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.parquet.Footers;
import dev.parquetingest.testing.DuckDb;
import dev.parquetingest.testing.ParquetFooters;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The arrow and parquet-mr backends give the same content for the same rows: byte-identical
 * files (their row groups end on the same rows, since both use the shared row-group rule), and
 * row-for-row equal data when the row-group sizes differ, checked with DuckDB.
 */
class SameContentTest {
  private static final int REVIEWS_ROWS = 40_000;
  private static final int LOGS_ROWS = 15_000;
  private static final int EDGE_ROWS = 12_000;

  @TempDir static Path data;
  @TempDir Path dir;

  @AfterEach
  void noArrowMemoryLeft() {
    assertThat(ArrowAllocators.allocatedBytes()).as("Arrow bytes left allocated").isZero();
    assertThat(ArrowAllocators.openChildren()).as("Arrow allocators left open").isZero();
  }

  @ParameterizedTest(name = "{0} rows, row groups {1}, chunk {2}, {3}")
  @CsvSource({
    "reviews, 128MB, 10000, netty",
    "reviews, 2MB, 4096, unsafe",
    "logs, 128MB, 10000, unsafe",
    "logs, 1MB, 1000, netty",
  })
  void generatedDataGivesByteIdenticalFiles(
      String dataset, String rowGroup, int chunk, String allocator) throws IOException {
    Dataset d = Dataset.of(dataset);
    EncoderOptions options =
        EncoderOptions.builder()
            .rowGroupSize(DataSize.parse(rowGroup))
            .property(ArrowEncoderProvider.CHUNK_ROWS_PROPERTY, Integer.toString(chunk))
            .property(ArrowEncoderProvider.ALLOCATOR_PROPERTY, allocator)
            .build();
    Path mr = write("parquet-mr", d.schema(), options, generated(d));
    Path arrow = write("arrow", d.schema(), options, generated(d));

    assertThat(Files.mismatch(mr, arrow)).as("first differing byte").isEqualTo(-1L);
    assertSameFooters(mr, arrow);
    assertSameRows(mr, arrow, rows(d));
    if (!rowGroup.equals("128MB")) {
      assertThat(ParquetFooters.read(arrow).getBlocks()).hasSizeGreaterThan(1);
    }
  }

  @ParameterizedTest(name = "row groups {0}, dictionary {1}, chunk {2}, {3}")
  @CsvSource({
    "128MB, true, 10000, netty",
    "256KB, true, 1000, unsafe",
    "128MB, false, 333, netty",
    "1MB, true, 7, unsafe",
  })
  void edgeValuesGiveByteIdenticalFiles(
      String rowGroup, boolean dictionary, int chunk, String allocator) throws IOException {
    EncoderOptions options =
        EncoderOptions.builder()
            .rowGroupSize(DataSize.parse(rowGroup))
            .dictionaryEnabled(dictionary)
            .property(ArrowEncoderProvider.CHUNK_ROWS_PROPERTY, Integer.toString(chunk))
            .property(ArrowEncoderProvider.ALLOCATOR_PROPERTY, allocator)
            .build();
    Path mr = write("parquet-mr", TestRows.EDGE_SCHEMA, options, edgeRows());
    Path arrow = write("arrow", TestRows.EDGE_SCHEMA, options, edgeRows());

    assertThat(Files.mismatch(mr, arrow)).as("first differing byte").isEqualTo(-1L);
    assertSameFooters(mr, arrow);
    assertSameRows(mr, arrow, EDGE_ROWS);
    assertEdgeValues(arrow);
  }

  @Test
  void differentRowGroupBoundariesStillGiveTheSameRows() throws IOException {
    Dataset d = Dataset.REVIEWS;
    Path mr =
        write("parquet-mr", d.schema(),
            EncoderOptions.builder().rowGroupSize(DataSize.ofMegabytes(1)).build(), generated(d));
    Path arrow =
        write("arrow", d.schema(),
            EncoderOptions.builder()
                .rowGroupSize(DataSize.ofMegabytes(3))
                .property(ArrowEncoderProvider.CHUNK_ROWS_PROPERTY, "3000")
                .build(),
            generated(d));

    assertThat(ParquetFooters.read(mr).getBlocks().size())
        .isGreaterThan(ParquetFooters.read(arrow).getBlocks().size());
    assertSameRows(mr, arrow, REVIEWS_ROWS);
    Path edgeMr =
        write("parquet-mr", TestRows.EDGE_SCHEMA,
            EncoderOptions.builder().rowGroupSize(DataSize.ofKilobytes(300)).build(), edgeRows());
    Path edgeArrow = write("arrow", TestRows.EDGE_SCHEMA, EncoderOptions.defaults(), edgeRows());
    assertThat(Files.mismatch(edgeMr, edgeArrow)).isNotEqualTo(-1L);
    assertSameRows(edgeMr, edgeArrow, EDGE_ROWS);
  }

  /** Footers read with parquet-java and with DuckDB: schema, codecs, encodings, metadata. */
  private static void assertSameFooters(Path mr, Path arrow) {
    ParquetMetadata a = ParquetFooters.read(mr);
    ParquetMetadata b = ParquetFooters.read(arrow);
    assertThat(b.getFileMetaData().getSchema()).isEqualTo(a.getFileMetaData().getSchema());
    assertThat(b.getFileMetaData().getCreatedBy())
        .isEqualTo(Footers.CREATED_BY)
        .isEqualTo(a.getFileMetaData().getCreatedBy());
    assertThat(b.getFileMetaData().getKeyValueMetaData())
        .isEqualTo(a.getFileMetaData().getKeyValueMetaData());
    assertThat(b.getBlocks()).hasSameSizeAs(a.getBlocks());
    for (String query :
        List.of(
            "SELECT row_group_id, row_group_num_rows, path_in_schema, type, compression,"
                + " encodings, stats_min, stats_max, stats_null_count, total_compressed_size"
                + " FROM parquet_metadata(%s) ORDER BY row_group_id, column_id",
            "SELECT name, type, repetition_type, logical_type FROM parquet_schema(%s)",
            "SELECT key, value FROM parquet_kv_metadata(%s) ORDER BY key",
            "SELECT created_by, num_rows, num_row_groups FROM parquet_file_metadata(%s)")) {
      List<List<Object>> fromMr = DuckDb.query(String.format(query, DuckDb.literal(mr)));
      List<List<Object>> fromArrow = DuckDb.query(String.format(query, DuckDb.literal(arrow)));
      assertThat(fromArrow).as(query).isEqualTo(fromMr);
    }
    assertThat(DuckDb.codecs(arrow)).containsExactly("ZSTD");
  }

  /** Both files hold the same multiset of rows: EXCEPT ALL is empty both ways. */
  private static void assertSameRows(Path mr, Path arrow, long rows) {
    String a = "SELECT * FROM read_parquet(" + DuckDb.literal(mr) + ")";
    String b = "SELECT * FROM read_parquet(" + DuckDb.literal(arrow) + ")";
    assertThat(DuckDb.count(mr)).isEqualTo(rows);
    assertThat(DuckDb.count(arrow)).isEqualTo(rows);
    assertThat(DuckDb.query("SELECT count(*) FROM (" + a + " EXCEPT ALL " + b + ")").get(0).get(0))
        .isEqualTo(0L);
    assertThat(DuckDb.query("SELECT count(*) FROM (" + b + " EXCEPT ALL " + a + ")").get(0).get(0))
        .isEqualTo(0L);
  }

  /** The extremes are in the file as written, read by DuckDB. */
  private static void assertEdgeValues(Path file) {
    List<Object> r =
        DuckDb.query(
                "SELECT count(all_null), max(i64), min(i64), max(i32), min(i32),"
                    + " count(*) FILTER (WHERE isnan(f64)), count(*) FILTER (WHERE f32 = 'inf'),"
                    + " max(length(s)), count(*) FILTER (WHERE s = ''),"
                    + " CAST(max(dec38) AS VARCHAR), CAST(min(dec38) AS VARCHAR),"
                    + " CAST(min(dec19) AS VARCHAR), CAST(max(dec4) AS VARCHAR),"
                    + " count(*) FILTER (WHERE label = ''), min(epoch_us(ts_us_local)),"
                    + " count(*) FILTER (WHERE bin IS NOT NULL AND octet_length(bin) = 0)"
                    + " FROM read_parquet("
                    + DuckDb.literal(file)
                    + ")")
            .get(0);
    assertThat(r.get(0)).isEqualTo(0L);
    assertThat(r.get(1)).isEqualTo(Long.MAX_VALUE);
    assertThat(r.get(2)).isEqualTo(Long.MIN_VALUE);
    assertThat(r.get(3)).isEqualTo(Integer.MAX_VALUE);
    assertThat(r.get(4)).isEqualTo(Integer.MIN_VALUE);
    assertThat((Long) r.get(5)).isPositive();
    assertThat((Long) r.get(6)).isPositive();
    assertThat(r.get(7)).isEqualTo(1L << 20);
    assertThat((Long) r.get(8)).isPositive();
    assertThat(r.get(9)).isEqualTo("9".repeat(38));
    assertThat(r.get(10)).isEqualTo("-" + "9".repeat(38));
    assertThat(r.get(11)).isEqualTo("-10000000000000.11999");
    assertThat(r.get(12)).isEqualTo(".9999"); // DuckDB prints decimal(4,4) without the 0
    assertThat(r.get(13)).isEqualTo((long) EDGE_ROWS / 4);
    assertThat(r.get(14)).isEqualTo(-62_135_596_800_000_000L);
    assertThat((Long) r.get(15)).isPositive();
  }

  private Path write(String backend, Schema schema, EncoderOptions options, RowSource rows)
      throws IOException {
    Path file = Files.createTempFile(dir, backend, ".parquet");
    try (OutputStream out = Files.newOutputStream(file);
        Encoder encoder = Encoders.find(backend).open(schema, out, options)) {
      rows.forEach(encoder::write);
      encoder.finish();
    }
    return file;
  }

  /** Replays the same rows for each backend. */
  @FunctionalInterface
  private interface RowSource {
    void forEach(Consumer<Row> sink);
  }

  private static RowSource generated(Dataset d) {
    return sink -> TestRows.generated(d, rows(d), data.resolve(d.id() + ".csv"), sink::accept);
  }

  private static int rows(Dataset d) {
    return d == Dataset.REVIEWS ? REVIEWS_ROWS : LOGS_ROWS;
  }

  private static RowSource edgeRows() {
    return sink -> {
      MutableRow row = new MutableRow(TestRows.EDGE_SCHEMA);
      for (int i = 0; i < EDGE_ROWS; i++) {
        TestRows.edge(i, row);
        sink.accept(row);
      }
    };
  }
}
