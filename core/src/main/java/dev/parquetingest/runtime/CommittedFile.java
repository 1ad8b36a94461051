package dev.parquetingest.runtime;

import dev.parquetingest.spi.ColumnStats;
import java.util.List;
import java.util.Objects;

/**
 * One committed data file, as the manifest and the report list it. Immutable.
 *
 * @param location where the sink made it visible
 * @param partition the Hive partition path, or ""
 * @param firstPosition the source position of its first record, or null
 * @param lastPosition the source position of its last record, or null
 * @param columns per-column statistics, string bounds cut as {@link Manifest#compact} does
 */
public record CommittedFile(
    String location,
    long rows,
    long bytes,
    String firstPosition,
    String lastPosition,
    String partition,
    List<ColumnStats> columns) {
  public CommittedFile {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(partition, "partition");
    columns = List.copyOf(columns);
  }

  /** This file without its column statistics, as the report keeps it (they are in the manifest). */
  CommittedFile withoutColumns() {
    return columns.isEmpty()
        ? this
        : new CommittedFile(
            location, rows, bytes, firstPosition, lastPosition, partition, List.of());
  }
}
