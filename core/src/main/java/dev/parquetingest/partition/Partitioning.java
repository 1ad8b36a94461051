package dev.parquetingest.partition;

import dev.parquetingest.schema.Field;
import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.schema.TypeKind;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How rows are routed to Hive-style partition directories ({@code country=DE/dt=2026-11-21/
 * hour=13}): a list of fields, each a column's value or a day or hour taken from a date or
 * timestamp column or from the time a row arrived. Every partition has its own open file; see
 * {@link dev.parquetingest.ParquetIngest.Builder#partitionBy(Partitioning)}.
 *
 * <p>Written as text (for the CLI's {@code --partition-by}) as a comma-separated list of fields,
 * in the style of Iceberg's partition transforms: {@code country} (the column's value), {@code
 * day(created_at)} and {@code hour(created_at)} (from a DATE or TIMESTAMP column, in UTC), {@code
 * day()} and {@code hour()} (from the arrival time). {@code hour(...)} gives two segments, {@code
 * dt=…/hour=…}. Values are escaped by {@link HivePartitions}, so no value escapes the output
 * location. Immutable and thread-safe; {@link #bind} gives a router for one thread.
 */
public final class Partitioning {
  private final List<Part> parts;

  private Partitioning(List<Part> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("Invalid partitioning: no fields given");
    }
    this.parts = List.copyOf(parts);
  }

  /** Partitions by the values of these columns, in this order. */
  public static Partitioning byColumns(String... columns) {
    List<Part> parts = new ArrayList<>();
    for (String c : columns) {
      parts.add(new Part(null, checkName(c)));
    }
    return new Partitioning(parts);
  }

  /**
   * Partitions by the day or hour of a DATE or TIMESTAMP column (UTC; a timestamp without time
   * zone is taken as it is written), or of the arrival time if {@code column} is null.
   *
   * @param granularity {@link ChronoUnit#DAYS} or {@link ChronoUnit#HOURS}
   */
  public static Partitioning byTime(String column, ChronoUnit granularity) {
    return new Partitioning(List.of(timePart(column, granularity)));
  }

  /** This partitioning followed by the fields of {@code next}. */
  public Partitioning then(Partitioning next) {
    List<Part> all = new ArrayList<>(parts);
    all.addAll(next.parts);
    return new Partitioning(all);
  }

  /**
   * Parses the text form described in the class comment, e.g. {@code country,hour(created_at)}.
   *
   * @throws IllegalArgumentException naming the field that cannot be parsed
   */
  public static Partitioning parse(String text) {
    Objects.requireNonNull(text, "text");
    List<Part> parts = new ArrayList<>();
    for (String raw : text.split(",", -1)) {
      String f = raw.strip();
      int open = f.indexOf('(');
      if (open < 0) {
        if (f.isEmpty() || f.contains(")")) {
          throw new IllegalArgumentException(
              "Invalid partition field '" + f + "' in '" + text + "': expected a column name,"
                  + " day(column), hour(column), day() or hour()");
        }
        parts.add(new Part(null, f));
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
            "Invalid partition field '" + f + "' in '" + text + "': unknown transform '" + fn
                + "'; use day(...) or hour(...)");
      }
      parts.add(timePart(arg.isEmpty() ? null : arg, unit));
    }
    return new Partitioning(parts);
  }

  private static Part timePart(String column, ChronoUnit granularity) {
    if (granularity != ChronoUnit.DAYS && granularity != ChronoUnit.HOURS) {
      throw new IllegalArgumentException(
          "Invalid time partition granularity " + granularity + ": use DAYS or HOURS");
    }
    return new Part(granularity, column == null ? null : checkName(column));
  }

  private static String checkName(String column) {
    if (column == null || column.isBlank()) {
      throw new IllegalArgumentException("Invalid partition column: empty name");
    }
    return column;
  }

  /**
   * A router for rows of {@code schema}, reading the arrival time from {@code clock} (epoch
   * milliseconds, e.g. {@code System::currentTimeMillis}).
   *
   * @throws IllegalArgumentException if a column is missing or a time field's column is not a
   *     DATE or TIMESTAMP
   */
  public Router bind(Schema schema, LongSupplier clock) {
    return new Router(schema, clock);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Part p : parts) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(p);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Partitioning && ((Partitioning) o).parts.equals(parts);
  }

  @Override
  public int hashCode() {
    return parts.hashCode();
  }

  private static final class Part {
    /** null for a column's value. */
    final ChronoUnit unit;
    /** null for the arrival time. */
    final String column;

    Part(ChronoUnit unit, String column) {
      this.unit = unit;
      this.column = column;
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
      return o instanceof Part
          && ((Part) o).unit == unit
          && Objects.equals(((Part) o).column, column);
    }

    @Override
    public int hashCode() {
      return Objects.hash(unit, column);
    }
  }

  /**
   * Gives the partition path of a row. Caches the path of recent values, so routing costs a map
   * lookup per row rather than escaping. Not thread-safe: one per worker.
   */
  public final class Router {
    /** Distinct values cached per column before the cache starts over. */
    private static final int CACHE_LIMIT = 4096;

    private final int[] index;
    private final TypeKind[] kinds;
    private final List<Map<Object, String>> caches = new ArrayList<>();
    private final long[] lastKey;
    private final String[] lastSegment;
    private final LongSupplier clock;
    private final StringBuilder path = new StringBuilder();

    private Router(Schema schema, LongSupplier clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      int n = parts.size();
      index = new int[n];
      kinds = new TypeKind[n];
      lastKey = new long[n];
      lastSegment = new String[n];
      for (int i = 0; i < n; i++) {
        Part p = parts.get(i);
        caches.add(new HashMap<>());
        if (p.column == null) {
          index[i] = -1;
          continue;
        }
        int idx = schema.indexOf(p.column);
        if (idx < 0) {
          List<String> known = new ArrayList<>();
          for (Field f : schema.fields()) {
            known.add(f.name());
          }
          throw new IllegalArgumentException(
              "Invalid partition field '" + p + "': no column '" + p.column + "'; columns are "
                  + known);
        }
        TypeKind kind = schema.field(idx).type().kind();
        if (p.unit != null
            && kind != TypeKind.DATE
            && kind != TypeKind.TIMESTAMP_MILLIS
            && kind != TypeKind.TIMESTAMP_MICROS) {
          throw new IllegalArgumentException(
              "Invalid partition field '" + p + "': column '" + p.column + "' is "
                  + kind.name().toLowerCase(Locale.ROOT) + ", not a date or timestamp");
        }
        if (p.unit == null && kind == TypeKind.BINARY) {
          throw new IllegalArgumentException(
              "Invalid partition field '" + p + "': column '" + p.column
                  + "' is binary; partition by a text, number, boolean, date or time column");
        }
        index[i] = idx;
        kinds[i] = kind;
      }
    }

    /** The relative path of the row's partition, e.g. {@code country=DE/dt=2026-11-21}. */
    public String path(Row row) {
      if (parts.size() == 1) {
        return segment(0, row);
      }
      path.setLength(0);
      for (int i = 0; i < parts.size(); i++) {
        if (i > 0) {
          path.append('/');
        }
        path.append(segment(i, row));
      }
      return path.toString();
    }

    private String segment(int i, Row row) {
      Part p = parts.get(i);
      int col = index[i];
      if (p.unit != null) {
        if (col >= 0 && row.isNull(col)) {
          return p.unit == ChronoUnit.DAYS
              ? "dt=" + HivePartitions.NULL_VALUE
              : "dt=" + HivePartitions.NULL_VALUE + "/hour=" + HivePartitions.NULL_VALUE;
        }
        long key = timeKey(i, p.unit, row);
        if (lastSegment[i] == null || lastKey[i] != key) {
          long seconds = p.unit == ChronoUnit.DAYS ? key * 86_400 : key * 3_600;
          lastSegment[i] = HivePartitions.time(Instant.ofEpochSecond(seconds), p.unit);
          lastKey[i] = key;
        }
        return lastSegment[i];
      }
      Object value = row.isNull(col) ? null : row.get(col);
      Map<Object, String> cache = caches.get(i);
      String s = cache.get(value == null ? NullKey.INSTANCE : value);
      if (s == null) {
        if (cache.size() >= CACHE_LIMIT) {
          cache.clear();
        }
        s = HivePartitions.segment(p.column, text(value));
        cache.put(value == null ? NullKey.INSTANCE : value, s);
      }
      return s;
    }

    /** Epoch day or epoch hour. */
    private long timeKey(int i, ChronoUnit unit, Row row) {
      int col = index[i];
      long seconds;
      if (col < 0) {
        seconds = Math.floorDiv(clock.getAsLong(), 1000L);
      } else {
        switch (kinds[i]) {
          case DATE:
            long day = row.getInt(col);
            return unit == ChronoUnit.DAYS ? day : day * 24;
          case TIMESTAMP_MILLIS:
            seconds = Math.floorDiv(row.getLong(col), 1000L);
            break;
          default:
            seconds = Math.floorDiv(row.getLong(col), 1_000_000L);
            break;
        }
      }
      return unit == ChronoUnit.DAYS
          ? Math.floorDiv(seconds, 86_400L)
          : Math.floorDiv(seconds, 3_600L);
    }

    /** How Hive writes a value in a path: dates as ISO, everything else as its string. */
    private Object text(Object value) {
      if (value instanceof LocalDate || value instanceof Instant) {
        return value.toString();
      }
      return value;
    }
  }

  /** Stands for null in a value cache. */
  private enum NullKey {
    INSTANCE
  }
}
