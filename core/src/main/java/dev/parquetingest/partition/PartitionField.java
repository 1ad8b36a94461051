package dev.parquetingest.partition;

import dev.parquetingest.schema.Field;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.schema.TypeKind;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One field of a {@link Partitioning}: a column's value, or the day or hour of a column or of the
 * arrival time; its text form ({@code country}, {@code hour(created_at)}, {@code day()}), parsed
 * and checked against a schema here. Immutable.
 */
final class PartitionField {
  /** null for a column's value. */
  final ChronoUnit unit;

  /** null for the arrival time. */
  final String column;

  private PartitionField(ChronoUnit unit, String column) {
    this.unit = unit;
    this.column = column;
  }

  /** The value of {@code column}. */
  static PartitionField value(String column) {
    return new PartitionField(null, checkName(column));
  }

  /** The day or hour of {@code column}, or of the arrival time if it is null. */
  static PartitionField time(String column, ChronoUnit granularity) {
    if (granularity != ChronoUnit.DAYS && granularity != ChronoUnit.HOURS) {
      throw new IllegalArgumentException(
          "Invalid time partition granularity " + granularity + ": use DAYS or HOURS");
    }
    return new PartitionField(granularity, column == null ? null : checkName(column));
  }

  private static String checkName(String column) {
    if (column == null || column.isBlank()) {
      throw new IllegalArgumentException("Invalid partition column: empty name");
    }
    return column;
  }

  /**
   * The fields of the text form {@link Partitioning#parse} describes.
   *
   * @throws IllegalArgumentException naming the field that cannot be parsed
   */
  static List<PartitionField> parse(String text) {
    Objects.requireNonNull(text, "text");
    List<PartitionField> parts = new ArrayList<>();
    for (String raw : text.split(",", -1)) {
      String f = raw.strip();
      int open = f.indexOf('(');
      if (open < 0) {
        if (f.isEmpty() || f.contains(")")) {
          throw new IllegalArgumentException(
              "Invalid partition field '"
                  + f
                  + "' in '"
                  + text
                  + "': expected a column name,"
                  + " day(column), hour(column), day() or hour()");
        }
        parts.add(new PartitionField(null, f));
        continue;
      }
      if (!f.endsWith(")")) {
        throw new IllegalArgumentException(
            "Invalid partition field '" + f + "' in '" + text + "': missing ')'");
      }
      String fn = f.substring(0, open).strip().toLowerCase(Locale.ROOT);
      String arg = f.substring(open + 1, f.length() - 1).strip();
      ChronoUnit unit;
      if (fn.equals("day")) {
        unit = ChronoUnit.DAYS;
      } else if (fn.equals("hour")) {
        unit = ChronoUnit.HOURS;
      } else {
        throw new IllegalArgumentException(
            "Invalid partition field '"
                + f
                + "' in '"
                + text
                + "': unknown transform '"
                + fn
                + "'; use day(...) or hour(...)");
      }
      parts.add(time(arg.isEmpty() ? null : arg, unit));
    }
    return parts;
  }

  /**
   * The index of this field's column in {@code schema}, or -1 for the arrival time.
   *
   * @throws IllegalArgumentException if the column is missing, a time field's column is not a DATE
   *     or TIMESTAMP, or a value field's column is binary
   */
  int columnIn(Schema schema) {
    if (column == null) {
      return -1;
    }
    int idx = schema.indexOf(column);
    if (idx < 0) {
      List<String> known = new ArrayList<>();
      for (Field f : schema.fields()) {
        known.add(f.name());
      }
      throw new IllegalArgumentException(
          "Invalid partition field '"
              + this
              + "': no column '"
              + column
              + "'; columns are "
              + known);
    }
    TypeKind kind = schema.field(idx).type().kind();
    if (unit != null
        && kind != TypeKind.DATE
        && kind != TypeKind.TIMESTAMP_MILLIS
        && kind != TypeKind.TIMESTAMP_MICROS) {
      throw new IllegalArgumentException(
          "Invalid partition field '"
              + this
              + "': column '"
              + column
              + "' is "
              + kind.name().toLowerCase(Locale.ROOT)
              + ", not a date or timestamp");
    }
    if (unit == null && kind == TypeKind.BINARY) {
      throw new IllegalArgumentException(
          "Invalid partition field '"
              + this
              + "': column '"
              + column
              + "' is binary; partition by a text, number, boolean, date or time column");
    }
    return idx;
  }

  @Override
  public String toString() {
    if (unit == null) {
      return column;
    }
    return (unit == ChronoUnit.DAYS ? "day(" : "hour(") + (column == null ? "" : column) + ")";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PartitionField
        && ((PartitionField) o).unit == unit
        && Objects.equals(((PartitionField) o).column, column);
  }

  @Override
  public int hashCode() {
    return Objects.hash(unit, column);
  }
}
