package dev.parquetingest.runtime;

import dev.parquetingest.spi.ColumnStats;
import java.util.List;
import java.util.Objects;

/**
 * One committed data file, as the manifest and the report list it. Immutable.
 *
 * @param location where the sink made it visible
 * @param name the name the runtime gave the sink, relative to its root (e.g. {@code
 *     country=DE/orders-00000.parquet})
 * @param partition the Hive partition path, or ""
 * @param firstPosition the source position of its first record, or null
 * @param lastPosition the source position of its last record, or null
 * @param columns per-column statistics, string bounds cut as {@link Manifest#compact} does
 */
public record CommittedFile(
    String location,
    String name,
    long rows,
    long bytes,
    String firstPosition,
    String lastPosition,
    String partition,
    List<ColumnStats> columns) {
  public CommittedFile {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(partition, "partition");
    columns = List.copyOf(columns);
  }

  /**
   * The location the manifest lists: the sink's location if it is a URI ({@code s3://bucket/key}),
   * which a reader can open anywhere; otherwise (a local directory) the name relative to the output
   * root, so the output can be moved or read from another machine.
   */
  String manifestLocation() {
    return location.contains("://") ? location : name;
  }

  /** The line its first record starts on, if the source names lines ({@code line N}), or -1. */
  long firstLine() {
    return line(firstPosition);
  }

  /** The line its last record starts on, if the source names lines ({@code line N}), or -1. */
  long lastLine() {
    return line(lastPosition);
  }

  /**
   * N of {@code line N} (a CSV file's {@link dev.parquetingest.spi.Position#describe()}), or -1.
   */
  static long line(String position) {
    if (position == null || !position.startsWith("line ")) {
      return -1;
    }
    try {
      return Long.parseLong(position.substring(5));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** This file without its column statistics, as the report keeps it (they are in the manifest). */
  CommittedFile withoutColumns() {
    return columns.isEmpty()
        ? this
        : new CommittedFile(
            location, name, rows, bytes, firstPosition, lastPosition, partition, List.of());
  }
}
