package dev.parquetingest.backend.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.backend.arrow.LogicalIdentity.Written;
import dev.parquetingest.common.DataSize;
import dev.parquetingest.datagen.Dataset;
import dev.parquetingest.internal.Encoders;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.ColumnStats;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.testing.DuckDb;
import dev.parquetingest.testing.ParquetFooters;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The arrow and parquet-mr backends give the same content for the same rows, in the sense of {@link
 * LogicalIdentity} (the files are no longer byte-identical: the arrow backend encodes with its own
 * columnar writer): on the generated data sets, on the edge values, with several row groups, both
 * allocators and chunk sizes from 7 to 10,000 rows.
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
  void generatedDataGivesTheSameContent(
      String dataset, String rowGroup, int chunk, String allocator) throws IOException {
    Dataset d = Dataset.of(dataset);
    EncoderOptions options =
        EncoderOptions.builder()
            .rowGroupSize(DataSize.parse(rowGroup))
            .property(ArrowEncoderProvider.CHUNK_ROWS_PROPERTY, Integer.toString(chunk))
            .property(ArrowEncoderProvider.ALLOCATOR_PROPERTY, allocator)
            .build();
    Written mr = write("parquet-mr", d.schema(), options, generated(d));
    Written arrow = write("arrow", d.schema(), options, generated(d));

    LogicalIdentity.assertSameContent(mr, arrow, rows(d));
    if (!rowGroup.equals("128MB")) {
      assertThat(ParquetFooters.read(arrow.file()).getBlocks()).hasSizeGreaterThan(1);
    }
  }

  @ParameterizedTest(name = "row groups {0}, dictionary {1}, chunk {2}, {3}")
  @CsvSource({
    "128MB, true, 10000, netty",
    "256KB, true, 1000, unsafe",
    "128MB, false, 333, netty",
    "1MB, true, 7, unsafe",
  })
  void edgeValuesGiveTheSameContent(
      String rowGroup, boolean dictionary, int chunk, String allocator) throws IOException {
    EncoderOptions options =
        EncoderOptions.builder()
            .rowGroupSize(DataSize.parse(rowGroup))
            .dictionaryEnabled(dictionary)
            .property(ArrowEncoderProvider.CHUNK_ROWS_PROPERTY, Integer.toString(chunk))
            .property(ArrowEncoderProvider.ALLOCATOR_PROPERTY, allocator)
            .build();
    Written mr = write("parquet-mr", TestRows.EDGE_SCHEMA, options, edgeRows());
    Written arrow = write("arrow", TestRows.EDGE_SCHEMA, options, edgeRows());

    LogicalIdentity.assertSameContent(mr, arrow, EDGE_ROWS);
    assertEdgeValues(arrow.file());
  }

  @Test
  void differentRowGroupBoundariesStillGiveTheSameRows() throws IOException {
    Dataset d = Dataset.REVIEWS;
    Written mr =
        write(
            "parquet-mr",
            d.schema(),
            EncoderOptions.builder().rowGroupSize(DataSize.ofMegabytes(1)).build(),
            generated(d));
    Written arrow =
        write(
            "arrow",
            d.schema(),
            EncoderOptions.builder()
                .rowGroupSize(DataSize.ofMegabytes(3))
                .property(ArrowEncoderProvider.CHUNK_ROWS_PROPERTY, "3000")
                .build(),
            generated(d));

    assertThat(ParquetFooters.read(mr.file()).getBlocks().size())
        .isGreaterThan(ParquetFooters.read(arrow.file()).getBlocks().size());
    LogicalIdentity.assertSameRows(mr.file(), arrow.file(), REVIEWS_ROWS);
    Written edgeMr =
        write(
            "parquet-mr",
            TestRows.EDGE_SCHEMA,
            EncoderOptions.builder().rowGroupSize(DataSize.ofKilobytes(300)).build(),
            edgeRows());
    Written edgeArrow = write("arrow", TestRows.EDGE_SCHEMA, EncoderOptions.defaults(), edgeRows());
    LogicalIdentity.assertSameRows(edgeMr.file(), edgeArrow.file(), EDGE_ROWS);
    assertThat(edgeArrow.stats()).isEqualTo(edgeMr.stats());
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

  private Written write(String backend, Schema schema, EncoderOptions options, RowSource rows)
      throws IOException {
    Path file = Files.createTempFile(dir, backend, ".parquet");
    List<ColumnStats> stats;
    try (OutputStream out = Files.newOutputStream(file);
        Encoder encoder = Encoders.find(backend).open(schema, out, options)) {
      rows.forEach(encoder::write);
      encoder.finish();
      stats = encoder.columnStats();
    }
    return new Written(file, stats);
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
