package dev.parquetingest.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

/**
 * The exactly-once check of the rerun and resume tests, through DuckDB: a set of Parquet files
 * holds every row of a reference conversion exactly as often as the reference does, and nothing
 * else. Stateless.
 */
public final class SameRows {
  private SameRows() {}

  /**
   * Asserts that {@code got} holds {@code rows} rows, and that {@code EXCEPT ALL} with the files
   * {@code want} (a path or glob) is empty both ways.
   */
  public static void assertSameRows(List<Path> got, Path want, long rows) {
    assertSameRows("read_parquet(" + DuckDb.literal(got) + ")", want, rows);
  }

  /** As {@link #assertSameRows(List, Path, long)}, with the files read as a path or glob. */
  public static void assertSameRows(Path got, Path want, long rows) {
    assertSameRows("read_parquet(" + DuckDb.literal(got) + ")", want, rows);
  }

  private static void assertSameRows(String got, Path want, long rows) {
    String w = "read_parquet(" + DuckDb.literal(want) + ")";
    assertThat(DuckDb.scalar("SELECT count(*) FROM " + got)).as("rows of " + got).isEqualTo(rows);
    assertThat(exceptAll(got, w)).as("rows of " + got + " not in " + w).isZero();
    assertThat(exceptAll(w, got)).as("rows of " + w + " not in " + got).isZero();
  }

  private static long exceptAll(String a, String b) {
    return ((Number)
            DuckDb.scalar(
                "SELECT count(*) FROM (SELECT * FROM "
                    + a
                    + " EXCEPT ALL SELECT * FROM "
                    + b
                    + ")"))
        .longValue();
  }
}
