package dev.parquetingest.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PartitioningTest {
  private static final Schema SCHEMA =
      Schema.builder()
          .optional("country", ColumnType.string())
          .optional("n", ColumnType.int64())
          .optional("day", ColumnType.date())
          .optional("ts", ColumnType.timestampMicros(true))
          .optional("ms", ColumnType.timestampMillis(true))
          .optional("blob", ColumnType.binary())
          .build();

  private final AtomicLong clock = new AtomicLong();

  private static MutableRow row(String country, Long n, LocalDate day, Instant ts) {
    MutableRow r = new MutableRow(SCHEMA);
    if (country == null) {
      r.setNull(0);
    } else {
      r.setString(0, country);
    }
    if (n == null) {
      r.setNull(1);
    } else {
      r.setLong(1, n);
    }
    if (day == null) {
      r.setNull(2);
    } else {
      r.setInt(2, (int) day.toEpochDay());
    }
    if (ts == null) {
      r.setNull(3);
      r.setNull(4);
    } else {
      r.setLong(3, ChronoUnit.MICROS.between(Instant.EPOCH, ts));
      r.setLong(4, ts.toEpochMilli());
    }
    r.setNull(5);
    return r;
  }

  @Test
  void columnsAndTimeTransformsGiveHivePaths() {
    Partitioning.Router r = Partitioning.parse("country, n, hour(ts)").bind(SCHEMA, clock::get);
    Instant t = Instant.parse("2026-11-21T13:59:59.999999Z");
    assertThat(r.path(row("DE", 7L, null, t))).isEqualTo("country=DE/n=7/dt=2026-11-21/hour=13");
    assertThat(r.path(row("DE", 7L, null, t.plusNanos(1000))))
        .isEqualTo("country=DE/n=7/dt=2026-11-21/hour=14");
    assertThat(
            Partitioning.parse("day(day)")
                .bind(SCHEMA, clock::get)
                .path(row(null, null, LocalDate.parse("1969-12-31"), null)))
        .isEqualTo("dt=1969-12-31");
    assertThat(
            Partitioning.byTime("ms", ChronoUnit.DAYS)
                .bind(SCHEMA, clock::get)
                .path(row(null, null, null, Instant.parse("1969-12-31T23:59:59.999Z"))))
        .isEqualTo("dt=1969-12-31");
  }

  @Test
  void nullsAndHostileValuesStayInsideTheirSegment() {
    Partitioning.Router r = Partitioning.byColumns("country").bind(SCHEMA, clock::get);
    assertThat(r.path(row(null, null, null, null))).isEqualTo("country=__HIVE_DEFAULT_PARTITION__");
    assertThat(r.path(row("../../etc", null, null, null))).isEqualTo("country=..%2F..%2Fetc");
    assertThat(r.path(row("a\nb", null, null, null))).isEqualTo("country=a%0Ab");
    String longValue = "x".repeat(5_000);
    assertThat(r.path(row(longValue, null, null, null)))
        .hasSizeLessThanOrEqualTo(HivePartitions.MAX_SEGMENT_BYTES)
        .doesNotContain("/");
    assertThat(
            Partitioning.parse("hour(ts)")
                .bind(SCHEMA, clock::get)
                .path(row(null, null, null, null)))
        .isEqualTo("dt=__HIVE_DEFAULT_PARTITION__/hour=__HIVE_DEFAULT_PARTITION__");
  }

  @Test
  void arrivalTimeComesFromTheClock() {
    Partitioning.Router r = Partitioning.parse("day(),country").bind(SCHEMA, clock::get);
    clock.set(Instant.parse("2026-11-21T23:00:00Z").toEpochMilli());
    assertThat(r.path(row("FR", null, null, null))).isEqualTo("dt=2026-11-21/country=FR");
    clock.set(Instant.parse("2026-11-22T00:00:00Z").toEpochMilli());
    assertThat(r.path(row("FR", null, null, null))).isEqualTo("dt=2026-11-22/country=FR");
  }

  @Test
  void badSpecificationsAreRefusedWithTheFieldNamed() {
    assertThatThrownBy(() -> Partitioning.parse("week(ts)"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown transform 'week'");
    assertThatThrownBy(() -> Partitioning.parse("country,,n"))
        .hasMessageContaining("Invalid partition field ''");
    assertThatThrownBy(() -> Partitioning.parse("hour(ts")).hasMessageContaining("missing ')'");
    assertThatThrownBy(() -> Partitioning.parse("city").bind(SCHEMA, clock::get))
        .hasMessageContaining("no column 'city'")
        .hasMessageContaining("country");
    assertThatThrownBy(() -> Partitioning.parse("day(n)").bind(SCHEMA, clock::get))
        .hasMessageContaining("column 'n' is int64, not a date or timestamp");
    assertThatThrownBy(() -> Partitioning.parse("blob").bind(SCHEMA, clock::get))
        .hasMessageContaining("binary");
  }

  @Test
  void textFormRoundTrips() {
    Partitioning p = Partitioning.parse("country, hour(ts), day()");
    assertThat(p.toString()).isEqualTo("country,hour(ts),day()");
    assertThat(Partitioning.parse(p.toString())).isEqualTo(p);
  }

  @Test
  void aTimeZoneShiftsUtcTimestampsAndArrivalButNotDatesOrLocalTimestamps() {
    Schema schema =
        Schema.builder()
            .optional("ts", ColumnType.timestampMicros(true))
            .optional("local", ColumnType.timestampMillis(false))
            .optional("day", ColumnType.date())
            .build();
    Partitioning berlin = Partitioning.parse("hour(ts)").inZone(ZoneId.of("Europe/Berlin"));
    assertThat(berlin.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(Partitioning.parse("hour(ts)").zone()).isEqualTo(ZoneOffset.UTC);
    assertThat(berlin).isNotEqualTo(Partitioning.parse("hour(ts)"));
    Partitioning.Router hours = berlin.bind(schema, clock::get);
    MutableRow r = new MutableRow(schema);
    r.setNull(1);
    r.setNull(2);
    // winter (UTC+1): late evening in UTC is the next day in Berlin
    r.setLong(0, micros("2026-11-21T23:30:00Z"));
    assertThat(hours.path(r)).isEqualTo("dt=2026-11-22/hour=00");
    // the spring change of 2026-03-29 at 01:00 UTC: 00:30Z is 01:30 CET, 01:30Z is 03:30 CEST
    r.setLong(0, micros("2026-03-29T00:30:00Z"));
    assertThat(hours.path(r)).isEqualTo("dt=2026-03-29/hour=01");
    r.setLong(0, micros("2026-03-29T01:30:00Z"));
    assertThat(hours.path(r)).isEqualTo("dt=2026-03-29/hour=03");
    // the autumn change of 2026-10-25 at 01:00 UTC: 00:59Z is 02:59 CEST, 01:00Z is 02:00 CET
    r.setLong(0, micros("2026-10-25T00:59:00Z"));
    assertThat(hours.path(r)).isEqualTo("dt=2026-10-25/hour=02");
    r.setLong(0, micros("2026-10-25T01:00:00Z"));
    assertThat(hours.path(r)).isEqualTo("dt=2026-10-25/hour=02");
    r.setLong(0, micros("2026-10-25T02:00:00Z"));
    assertThat(hours.path(r)).isEqualTo("dt=2026-10-25/hour=03");

    // a fixed offset, and a timestamp without time zone (already local) and a date unaffected
    Partitioning.Router mixed =
        Partitioning.parse("day(ts),day(local),day(day)")
            .inZone(ZoneOffset.ofHours(-5))
            .bind(schema, clock::get);
    r.setLong(0, micros("2026-11-21T03:00:00Z"));
    r.setLong(1, Instant.parse("2026-11-21T03:00:00Z").toEpochMilli());
    r.setInt(2, (int) LocalDate.parse("2026-11-21").toEpochDay());
    assertThat(mixed.path(r)).isEqualTo("dt=2026-11-20/dt=2026-11-21/dt=2026-11-21");

    // the arrival time too
    Partitioning.Router arrival =
        Partitioning.parse("day()").inZone(ZoneId.of("Asia/Tokyo")).bind(schema, clock::get);
    clock.set(Instant.parse("2026-11-21T20:00:00Z").toEpochMilli());
    assertThat(arrival.path(r)).isEqualTo("dt=2026-11-22");
  }

  private static long micros(String instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(instant));
  }
}
