package dev.parquetingest.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.IngestReport;
import dev.parquetingest.datagen.Dataset;
import dev.parquetingest.testing.DuckDb;
import java.nio.file.Path;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExamplesTest {
  @TempDir Path dir;

  @Test
  void csvExampleWritesEveryRow() {
    Path csv = dir.resolve("reviews.csv");
    Dataset.REVIEWS.writeCsv(csv, 2_000, 3);
    IngestReport report = CsvToParquetExample.convert(csv, dir.resolve("out"));
    assertThat(report.rowsWritten()).isEqualTo(2_000);
    assertThat(
            DuckDb.scalar(
                "SELECT count(*) FROM read_parquet("
                    + DuckDb.literal(dir.resolve("out"))
                    + " || '/*.parquet')"))
        .isEqualTo(2_000L);
  }

  @Test
  void customSourceExampleDropsImpossibleReadingsAndRollsEvery50000Rows() {
    IngestReport report = CustomSourceExample.write(dir.resolve("s"), 120_000);
    // every 100th reading is impossible, unless it is one of the missing (null) ones
    long impossible =
        LongStream.range(0, 120_000).filter(i -> i % 100 == 99 && i % 37 != 0).count();
    assertThat(report.rowsFiltered()).isEqualTo(impossible).isGreaterThan(1_000);
    assertThat(report.rowsWritten()).isEqualTo(120_000 - impossible);
    assertThat(report.files()).hasSize(3);
    assertThat(
            DuckDb.scalar(
                "SELECT min(celsius) FROM read_parquet("
                    + DuckDb.literal(dir.resolve("s"))
                    + " || '/*.parquet')"))
        .isEqualTo(20.0);
  }
}
