package dev.parquetingest.backend.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.common.DataSize;
import dev.parquetingest.datagen.Dataset;
import dev.parquetingest.internal.Encoders;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.ColumnStats;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.testing.ParquetFooters;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
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
 * The arrow and parquet-mr backends, and {@code auto} through either, report equal column
 * statistics for the same rows: edge values of every type (extremes, NaN, infinities, signed zeros,
 * 1MB strings, decimals at their limits, an all-null column) in one row group and in many, and
 * generated data. That the statistics are right is the contract suite's job; here they must not
 * depend on the backend.
 */
class SameColumnStatsTest {
  private static final int EDGE_ROWS = 12_000;
  private static final int LOGS_ROWS = 15_000;

  @TempDir static Path data;
  @TempDir Path dir;

  @AfterEach
  void noArrowMemoryLeft() {
    assertThat(ArrowAllocators.allocatedBytes()).as("Arrow bytes left allocated").isZero();
    assertThat(ArrowAllocators.openChildren()).as("Arrow allocators left open").isZero();
  }

  @ParameterizedTest(name = "row groups {0}, chunk {1}")
  @CsvSource({"128MB, 10000, 1", "256KB, 777, 3"})
  void edgeRowsGiveEqualStatsOnEveryBackend(String rowGroup, int chunk, int minRowGroups)
      throws IOException {
    EncoderOptions options =
        EncoderOptions.builder()
            .rowGroupSize(DataSize.parse(rowGroup))
            .property(ArrowEncoderProvider.CHUNK_ROWS_PROPERTY, Integer.toString(chunk))
            .build();
    List<ColumnStats> mr =
        write("parquet-mr", TestRows.EDGE_SCHEMA, options, edgeRows(), minRowGroups);
    List<ColumnStats> arrow =
        write("arrow", TestRows.EDGE_SCHEMA, options, edgeRows(), minRowGroups);

    assertThat(arrow).isEqualTo(mr);
    assertThat(mr).hasSize(TestRows.EDGE_SCHEMA.size());
    assertThat(mr).allSatisfy(c -> assertThat(c.valueCount()).isEqualTo(EDGE_ROWS));
    // not equal by being empty: bounds for all but all_null, bin and the NaN columns f32 and f64
    assertThat(mr.stream().filter(c -> !c.hasMinMax()).map(ColumnStats::column))
        .containsExactlyInAnyOrder("all_null", "f32", "f64", "bin");
    assertThat(mr.get(TestRows.EDGE_SCHEMA.indexOf("i64")).min()).isEqualTo(Long.MIN_VALUE);
    assertThat(mr.get(TestRows.EDGE_SCHEMA.indexOf("dec38")).max())
        .isEqualTo(new BigDecimal("9".repeat(38)));

    EncoderOptions small =
        options.toBuilder().expectedRowsPerFile(AutoEncoderProvider.ARROW_FROM_ROWS - 1).build();
    EncoderOptions large =
        options.toBuilder().expectedRowsPerFile(AutoEncoderProvider.ARROW_FROM_ROWS).build();
    assertThat(new AutoEncoderProvider().choose(small).name()).isEqualTo("parquet-mr");
    assertThat(new AutoEncoderProvider().choose(large).name()).isEqualTo("arrow");
    List<ColumnStats> autoSmall =
        write("auto", TestRows.EDGE_SCHEMA, small, edgeRows(), minRowGroups);
    List<ColumnStats> autoLarge =
        write("auto", TestRows.EDGE_SCHEMA, large, edgeRows(), minRowGroups);
    assertThat(autoSmall).isEqualTo(mr);
    assertThat(autoLarge).isEqualTo(mr);
  }

  @Test
  void generatedDataGivesEqualStatsOnBothBackends() throws IOException {
    Dataset d = Dataset.LOGS;
    EncoderOptions options =
        EncoderOptions.builder()
            .rowGroupSize(DataSize.ofMegabytes(1))
            .property(ArrowEncoderProvider.CHUNK_ROWS_PROPERTY, "1000")
            .build();
    List<ColumnStats> mr = write("parquet-mr", d.schema(), options, generated(d), 2);
    List<ColumnStats> arrow = write("arrow", d.schema(), options, generated(d), 2);
    assertThat(arrow).isEqualTo(mr);
    assertThat(mr).hasSize(d.schema().size());
    assertThat(mr).filteredOn(ColumnStats::hasMinMax).hasSizeGreaterThan(d.schema().size() / 2);
  }

  /**
   * Writes the rows with one backend into a file of at least {@code minRowGroups} row groups and
   * returns the encoder's column statistics, which {@code auto} must report as well.
   */
  private List<ColumnStats> write(
      String backend, Schema schema, EncoderOptions options, RowSource rows, int minRowGroups)
      throws IOException {
    Path file = Files.createTempFile(dir, backend, ".parquet");
    List<ColumnStats> stats;
    try (OutputStream out = Files.newOutputStream(file);
        Encoder encoder = Encoders.find(backend).open(schema, out, options)) {
      rows.forEach(encoder::write);
      encoder.finish();
      stats = encoder.columnStats();
    }
    assertThat(ParquetFooters.read(file).getBlocks()).hasSizeGreaterThanOrEqualTo(minRowGroups);
    return stats;
  }

  /** Replays the same rows for each backend. */
  @FunctionalInterface
  private interface RowSource {
    void forEach(Consumer<Row> sink);
  }

  private static RowSource generated(Dataset d) {
    return sink -> TestRows.generated(d, LOGS_ROWS, data.resolve(d.id() + ".csv"), sink::accept);
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
