package dev.parquetingest.partition;

import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.schema.TypeKind;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How rows are routed to Hive-style partition directories ({@code country=DE/dt=2026-11-21/
 * hour=13}): a list of fields, each a column's value or a day or hour taken from a date or
 * timestamp column or from the time a row arrived. Every partition has its own open file; see
 * {@link dev.parquetingest.ParquetIngestBuilder#partitionBy(Partitioning)}.
 *
 * <p>Written as text (for the CLI's {@code --partition-by}) as a comma-separated list of fields, in
 * the style of Iceberg's partition transforms: {@code country} (the column's value), {@code
 * day(created_at)} and {@code hour(created_at)} (from a DATE or TIMESTAMP column), {@code day()}
 * and {@code hour()} (from the arrival time). {@code hour(...)} gives two segments, {@code
 * dt=…/hour=…}. Days and hours are those of UTC unless {@link #inZone} names another time zone; a
 * DATE, and a timestamp without time zone, are taken as they are written. Values are escaped by
 * {@link HivePartitions}, so no value escapes the output location. Immutable and thread-safe;
 * {@link #bind} gives a router for one thread.
 */
public final class Partitioning {
  private final List<PartitionField> parts;
  private final ZoneId zone;

  private Partitioning(List<PartitionField> parts) {
    this(parts, ZoneOffset.UTC);
  }

  private Partitioning(List<PartitionField> parts, ZoneId zone) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("Invalid partitioning: no fields given");
    }
    this.parts = List.copyOf(parts);
    this.zone = Objects.requireNonNull(zone, "zone");
  }

  /**
   * This partitioning with the days and hours of time fields taken in {@code zone} instead of UTC,
   * for the arrival time and for timestamps with a time zone (UTC-adjusted), daylight saving
   * included: with {@code Europe/Berlin}, {@code 2026-11-21T23:30Z} is in {@code dt=2026-11-22}.
   * DATE columns and timestamps without time zone are unaffected: they are already local.
   */
  public Partitioning inZone(ZoneId zone) {
    return new Partitioning(parts, zone);
  }

  /** The time zone of day and hour fields; UTC unless {@link #inZone} said otherwise. */
  public ZoneId zone() {
    return zone;
  }

  /** Partitions by the values of these columns, in this order. */
  public static Partitioning byColumns(String... columns) {
    List<PartitionField> parts = new ArrayList<>();
    for (String c : columns) {
      parts.add(PartitionField.value(c));
    }
    return new Partitioning(parts);
  }

  /**
   * Partitions by the day or hour of a DATE or TIMESTAMP column (UTC; a timestamp without time zone
   * is taken as it is written), or of the arrival time if {@code column} is null.
   *
   * @param granularity {@link ChronoUnit#DAYS} or {@link ChronoUnit#HOURS}
   */
  public static Partitioning byTime(String column, ChronoUnit granularity) {
    return new Partitioning(List.of(PartitionField.time(column, granularity)));
  }

  /** This partitioning followed by the fields of {@code next}. */
  public Partitioning then(Partitioning next) {
    List<PartitionField> all = new ArrayList<>(parts);
    all.addAll(next.parts);
    return new Partitioning(all, zone);
  }

  /**
   * Parses the text form described in the class comment, e.g. {@code country,hour(created_at)}.
   *
   * @throws IllegalArgumentException naming the field that cannot be parsed
   */
  public static Partitioning parse(String text) {
    return new Partitioning(PartitionField.parse(text));
  }

  /**
   * A router for rows of {@code schema}, reading the arrival time from {@code clock} (epoch
   * milliseconds, e.g. {@code System::currentTimeMillis}).
   *
   * @throws IllegalArgumentException if a column is missing or a time field's column is not a DATE
   *     or TIMESTAMP
   */
  public Router bind(Schema schema, LongSupplier clock) {
    return new Router(schema, clock);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (PartitionField p : parts) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(p);
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Partitioning
        && ((Partitioning) o).parts.equals(parts)
        && ((Partitioning) o).zone.equals(zone);
  }

  @Override
  public int hashCode() {
    return parts.hashCode() * 31 + zone.hashCode();
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

    /**
     * Per field: whether its time is shifted into the zone (arrival time, UTC-adjusted timestamps).
     */
    private final boolean[] zoned;

    private final ZoneRules rules = zone.getRules();
    private final boolean fixedOffset = rules.isFixedOffset();

    /**
     * The UTC quarter-hour whose offset {@link #lastOffset} holds; zones change offset on those.
     */
    private long lastQuarter = Long.MIN_VALUE;

    private long lastOffset;
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
      zoned = new boolean[n];
      lastKey = new long[n];
      lastSegment = new String[n];
      for (int i = 0; i < n; i++) {
        caches.add(new HashMap<>());
        int idx = parts.get(i).columnIn(schema);
        index[i] = idx;
        if (idx < 0) {
          zoned[i] = true;
          continue;
        }
        TypeKind kind = schema.field(idx).type().kind();
        kinds[i] = kind;
        zoned[i] = kind != TypeKind.DATE && schema.field(idx).type().utcAdjusted();
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
      PartitionField p = parts.get(i);
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
      if (zoned[i]) {
        seconds += offsetSeconds(seconds);
      }
      return unit == ChronoUnit.DAYS
          ? Math.floorDiv(seconds, 86_400L)
          : Math.floorDiv(seconds, 3_600L);
    }

    /** The zone's offset from UTC at {@code epochSecond}, looked up once per quarter-hour. */
    private long offsetSeconds(long epochSecond) {
      if (fixedOffset) {
        return rules.getOffset(Instant.EPOCH).getTotalSeconds();
      }
      long quarter = Math.floorDiv(epochSecond, 900L);
      if (quarter != lastQuarter) {
        lastOffset = rules.getOffset(Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
        lastQuarter = quarter;
      }
      return lastOffset;
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
