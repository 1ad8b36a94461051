package dev.parquetingest.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.BadRecordPolicy;
import dev.parquetingest.IngestMetrics;
import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.ParquetIngestBuilder;
import dev.parquetingest.common.DataSize;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch runs through the public API with the real parquet-java encoder into a directory: what the
 * registry reads must be what the run's report says.
 */
class IngestMeterBinderTest {
  private static final long ROWS = 10_000;

  /** ids 249, 499, ...: 40 bad records of 10,000. */
  private static final long BAD_EVERY = 250;

  private static ParquetIngestBuilder pipeline(RowsSource source, Path dir, IngestMetrics m) {
    return ParquetIngest.builder()
        .source(source)
        .outputDirectory(dir)
        .encoder("parquet-mr")
        .filePrefix("rows")
        .metrics(m);
  }

  @Test
  void countersEqualTheReportAndGaugesReturnToZeroAfterTheRun(@TempDir Path dir) {
    IngestMetrics metrics = new IngestMetrics();
    MeterRegistry registry = new SimpleMeterRegistry();
    try (IngestMeterBinder binder =
        new IngestMeterBinder(metrics, Tags.of("pipeline", "batch"), Duration.ZERO)) {
      binder.bindTo(registry);
      assertThat(count(registry, "parquet.ingest.records.in")).isZero();

      assertThat(
              registry.get("parquet.ingest.last.commit").timeGauge().value(TimeUnit.MILLISECONDS))
          .isZero();
      long before = System.currentTimeMillis();
      RowsSource source = new RowsSource(ROWS, BAD_EVERY);
      IngestReport report =
          pipeline(source, dir, metrics)
              .onBadRecord(BadRecordPolicy.REJECT)
              // drop ids 50, 150, ...: 100 filtered, none of them bad (those end in 49 or 99)
              .transform(row -> row.getLong(0) % 100 == 50 ? null : row)
              .maxRowsPerFile(1_000)
              .run();

      // the run itself is what the test expects, so that agreeing with it means something
      assertThat(report.rowsRead()).isEqualTo(ROWS);
      assertThat(report.rowsRejected()).isEqualTo(40);
      assertThat(report.rowsFiltered()).isEqualTo(100);
      assertThat(report.rowsWritten()).isEqualTo(ROWS - 40 - 100);
      assertThat(report.files()).hasSize(10);

      assertThat(count(registry, "parquet.ingest.records.in")).isEqualTo(report.rowsRead());
      assertThat(count(registry, "parquet.ingest.records.out")).isEqualTo(report.rowsWritten());
      assertThat(count(registry, "parquet.ingest.records.rejected"))
          .isEqualTo(report.rowsRejected());
      assertThat(count(registry, "parquet.ingest.records.filtered"))
          .isEqualTo(report.rowsFiltered());
      assertThat(count(registry, "parquet.ingest.files.committed"))
          .isEqualTo(report.files().size());
      assertThat(count(registry, "parquet.ingest.files.aborted")).isZero();
      assertThat(count(registry, "parquet.ingest.committed.bytes"))
          .isEqualTo(report.bytesOut())
          .isEqualTo(sizeOfParquetFiles(dir));
      assertThat(count(registry, "parquet.ingest.memory.rolls"))
          .isEqualTo(report.memoryRolls())
          .isZero();
      // one timing and one size per committed file, adding up to the report's figures
      assertThat(registry.get("parquet.ingest.commit.latency").timer().count())
          .isEqualTo(report.files().size());
      assertThat(
              registry.get("parquet.ingest.commit.latency").timer().totalTime(TimeUnit.NANOSECONDS))
          .isPositive();
      assertThat(registry.get("parquet.ingest.file.size").summary().count())
          .isEqualTo(report.files().size());
      assertThat((long) registry.get("parquet.ingest.file.size").summary().totalAmount())
          .isEqualTo(report.bytesOut());
      assertThat((long) registry.get("parquet.ingest.file.rows").summary().totalAmount())
          .isEqualTo(report.rowsWritten());
      assertThat((long) registry.get("parquet.ingest.file.rows").summary().max()).isEqualTo(1_000L);
      assertThat(
              registry.get("parquet.ingest.last.commit").timeGauge().value(TimeUnit.MILLISECONDS))
          .isBetween((double) before, (double) System.currentTimeMillis());

      assertThat(gauge(registry, "parquet.ingest.files.open")).isZero();
      assertThat(gauge(registry, "parquet.ingest.buffered.bytes")).isZero();
      assertThat(gauge(registry, "parquet.ingest.workers")).isZero();
      assertThat(lagMillis(registry)).isZero();
      // the in-test source cannot tell its backlog (-1): no value rather than a made-up number
      assertThat(gauge(registry, "parquet.ingest.source.backlog")).isNaN();
    }
  }

  @Test
  void everyMeterIsNamedDescribedAndTagged() {
    IngestMetrics metrics = new IngestMetrics();
    MeterRegistry registry = new SimpleMeterRegistry();
    new IngestMeterBinder(metrics, Tags.of("pipeline", "p1"), Duration.ZERO).bindTo(registry);

    List<Meter> meters = registry.getMeters();
    assertThat(meters)
        .extracting(m -> m.getId().getName())
        .containsExactlyInAnyOrder(
            "parquet.ingest.records.in",
            "parquet.ingest.records.out",
            "parquet.ingest.records.rejected",
            "parquet.ingest.records.filtered",
            "parquet.ingest.files.committed",
            "parquet.ingest.files.aborted",
            "parquet.ingest.committed.bytes",
            "parquet.ingest.memory.rolls",
            "parquet.ingest.files.open",
            "parquet.ingest.buffered.bytes",
            "parquet.ingest.workers",
            "parquet.ingest.source.backlog",
            "parquet.ingest.source.lag",
            "parquet.ingest.last.commit",
            "parquet.ingest.commit.latency",
            "parquet.ingest.file.size",
            "parquet.ingest.file.rows");
    for (Meter m : meters) {
      assertThat(m.getId().getDescription()).as(m.getId().getName()).isNotBlank();
      assertThat(m.getId().getTag("pipeline")).as(m.getId().getName()).isEqualTo("p1");
    }
    assertThat(registry.get("parquet.ingest.committed.bytes").meter().getId().getBaseUnit())
        .isEqualTo("bytes");
    assertThat(registry.get("parquet.ingest.buffered.bytes").gauge().getId().getBaseUnit())
        .isEqualTo("bytes");
    assertThat(registry.get("parquet.ingest.source.lag").meter()).isInstanceOf(TimeGauge.class);
    for (String counter :
        List.of(
            "parquet.ingest.records.in",
            "parquet.ingest.records.out",
            "parquet.ingest.files.committed",
            "parquet.ingest.memory.rolls")) {
      assertThat(registry.get(counter).meter()).as(counter).isInstanceOf(FunctionCounter.class);
    }
    for (String gauge : List.of("parquet.ingest.files.open", "parquet.ingest.workers")) {
      assertThat(registry.get(gauge).meter()).as(gauge).isInstanceOf(Gauge.class);
    }
  }

  @Test
  void memoryRollsAreCountedAsTheReportCountsThem(@TempDir Path dir) {
    IngestMetrics metrics = new IngestMetrics();
    MeterRegistry registry = new SimpleMeterRegistry();
    new IngestMeterBinder(metrics, Tags.empty(), Duration.ZERO).bindTo(registry);

    // a budget no open file fits in: every memory check (each 128 rows) commits early
    IngestReport report =
        pipeline(new RowsSource(2_000, 0), dir, metrics).memoryBudget(DataSize.ofBytes(1)).run();

    assertThat(report.memoryRolls()).isPositive();
    assertThat(count(registry, "parquet.ingest.memory.rolls")).isEqualTo(report.memoryRolls());
    assertThat(count(registry, "parquet.ingest.files.committed"))
        .isEqualTo(report.files().size())
        .isGreaterThan(1);
    assertThat(count(registry, "parquet.ingest.records.out")).isEqualTo(2_000);
  }

  @Test
  void oneMetricsInstanceAddsUpRunsAndServesEveryRegistryBound(@TempDir Path dir)
      throws IOException {
    IngestMetrics metrics = new IngestMetrics();
    MeterRegistry first = new SimpleMeterRegistry();
    MeterRegistry second = new SimpleMeterRegistry();
    IngestMeterBinder binder = new IngestMeterBinder(metrics, Tags.empty(), Duration.ZERO);
    binder.bindTo(first);

    IngestReport one =
        pipeline(new RowsSource(3_000, 0), Files.createDirectory(dir.resolve("one")), metrics)
            .maxRowsPerFile(1_000)
            .run();
    binder.bindTo(second);
    IngestReport two =
        pipeline(new RowsSource(1_500, 0), Files.createDirectory(dir.resolve("two")), metrics)
            .maxRowsPerFile(1_000)
            .run();

    for (MeterRegistry r : List.of(first, second)) {
      assertThat(count(r, "parquet.ingest.records.in")).isEqualTo(4_500);
      assertThat(count(r, "parquet.ingest.files.committed"))
          .isEqualTo(one.files().size() + two.files().size())
          .isEqualTo(5);
      assertThat(count(r, "parquet.ingest.committed.bytes"))
          .isEqualTo(one.bytesOut() + two.bytesOut());
    }
  }

  static double count(MeterRegistry registry, String name) {
    return registry.get(name).functionCounter().count();
  }

  static double gauge(MeterRegistry registry, String name) {
    return registry.get(name).gauge().value();
  }

  static double lagMillis(MeterRegistry registry) {
    return registry.get("parquet.ingest.source.lag").timeGauge().value(TimeUnit.MILLISECONDS);
  }

  private static long sizeOfParquetFiles(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
