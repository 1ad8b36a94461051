package dev.parquetingest.cli;

import dev.parquetingest.partition.Partitioning;
import java.time.DateTimeException;
import java.time.ZoneId;
import picocli.CommandLine.Option;

/**
 * {@code --partition-by} and {@code --partition-time-zone}, shared by {@code csv}, {@code kafka}
 * and {@code sqs}. Not thread-safe (picocli fills it, one command uses it).
 */
final class PartitionOptions {
  @Option(
      names = "--partition-by",
      paramLabel = "<fields>",
      description =
          "Write Hive-style partition directories, e.g. 'country' or 'country,day(created_at)'"
              + " or 'hour(ts)': comma-separated columns, day(col)/hour(col) of a date or timestamp column (UTC unless --partition-time-zone),"
              + " day()/hour() of the arrival time. Each partition has its own open file per worker.")
  String partitionBy;

  @Option(
      names = "--partition-time-zone",
      paramLabel = "<zone>",
      description =
          "With --partition-by: the time zone of day(...) and hour(...) of timestamps with"
              + " a time zone and of the arrival time, e.g. Europe/Berlin or -05:00 (default UTC)."
              + " Dates and timestamps without time zone are taken as written.")
  String partitionTimeZone;

  /**
   * Checks the two options agree.
   *
   * @throws IllegalArgumentException naming the option
   */
  void check() {
    if (partitionTimeZone != null && partitionBy == null) {
      throw new IllegalArgumentException("Invalid --partition-time-zone: only with --partition-by");
    }
    if (partitionTimeZone != null) {
      zone(partitionTimeZone);
    }
  }

  /** The partitioning asked for, or null for none. */
  Partitioning partitioning() {
    if (partitionBy == null) {
      return null;
    }
    Partitioning partitioning = Partitioning.parse(partitionBy);
    return partitionTimeZone != null ? partitioning.inZone(zone(partitionTimeZone)) : partitioning;
  }

  private static ZoneId zone(String text) {
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "Invalid --partition-time-zone '"
              + text
              + "': use a region such as Europe/Berlin or an offset such as -05:00");
    }
  }
}
