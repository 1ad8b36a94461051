package dev.parquetingest.sink.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.testing.DuckDb;
import java.nio.file.Path;
import java.util.List;

/** Checks on downloaded Parquet files, through DuckDB. */
final class RoundTrips {
  private RoundTrips() {}

  /** Together the files hold the ids {@code 0 .. rows-1}, each exactly once. */
  static void assertExactlyIds(List<Path> files, long rows) {
    assertThat(files).isNotEmpty();
    List<Object> r =
        DuckDb.query(
                "SELECT count(*), count(DISTINCT id), min(id), max(id) FROM read_parquet("
                    + DuckDb.literal(files)
                    + ")")
            .get(0);
    assertThat(((Number) r.get(0)).longValue()).as("rows").isEqualTo(rows);
    assertThat(((Number) r.get(1)).longValue()).as("distinct ids").isEqualTo(rows);
    assertThat(((Number) r.get(2)).longValue()).as("min id").isZero();
    assertThat(((Number) r.get(3)).longValue()).as("max id").isEqualTo(rows - 1);
  }

  /**
   * Each file is readable and complete (DuckDB checks the footer), and no id appears twice.
   *
   * @return the number of rows in all files
   */
  static long assertReadableWithoutDuplicates(List<Path> files) {
    if (files.isEmpty()) {
      return 0;
    }
    List<Object> r =
        DuckDb.query(
                "SELECT count(*), count(DISTINCT id) FROM read_parquet("
                    + DuckDb.literal(files)
                    + ")")
            .get(0);
    long count = ((Number) r.get(0)).longValue();
    assertThat(((Number) r.get(1)).longValue()).as("distinct ids").isEqualTo(count);
    return count;
  }
}
