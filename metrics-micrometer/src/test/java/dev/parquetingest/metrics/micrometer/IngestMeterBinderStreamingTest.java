package dev.parquetingest.metrics.micrometer;

import static dev.parquetingest.metrics.micrometer.IngestMeterBinderTest.count;
import static dev.parquetingest.metrics.micrometer.IngestMeterBinderTest.gauge;
import static dev.parquetingest.metrics.micrometer.IngestMeterBinderTest.lagMillis;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.IngestHandle;
import dev.parquetingest.IngestMetrics;
import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.testing.Await;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A started push pipeline read through the registry while it runs. Nothing asserts timing: the test
 * waits (up to a generous bound) for the pipeline to publish what it took, then reads.
 */
class IngestMeterBinderStreamingTest {
  /** Liveness bound for waiting on the pipeline thread; no test asserts speed. */
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private static final int ROWS = 1_000;

  @Test
  void gaugesShowTheRunningPipelineAndReturnToZeroWhenItStops(@TempDir Path dir) {
    IngestMetrics metrics = new IngestMetrics();
    MeterRegistry registry = new SimpleMeterRegistry();
    new IngestMeterBinder(metrics, Tags.of("pipeline", "push"), Duration.ZERO).bindTo(registry);

    // no size, row or age limit: the one file stays open until close()
    IngestHandle handle =
        ParquetIngest.builder()
            .push(RowsSource.SCHEMA)
            .outputDirectory(dir)
            .encoder("parquet-mr")
            .metrics(metrics)
            .start();
    IngestReport report;
    try {
      MutableRow row = new MutableRow(RowsSource.SCHEMA);
      for (int i = 0; i < ROWS; i++) {
        row.setLong(0, i);
        row.setString(1, "name-" + i);
        handle.offer(row);
      }
      // the lane publishes its counters when idle (every timer tick) and every 4096 rows; it adds
      // records.in before records.out, and sets the gauges' figures right after both
      await(() -> count(registry, "parquet.ingest.records.out") == ROWS);

      assertThat(count(registry, "parquet.ingest.records.in")).isEqualTo(ROWS);
      assertThat(gauge(registry, "parquet.ingest.files.open")).isEqualTo(1);
      assertThat(gauge(registry, "parquet.ingest.workers")).isEqualTo(1);
      // every offered row has been taken: the push queue is empty (NaN would mean "unknown")
      await(() -> gauge(registry, "parquet.ingest.source.backlog") == 0);
      // measured every 128 rows of the open file: parquet-java holds the pages in memory
      assertThat(gauge(registry, "parquet.ingest.buffered.bytes")).isPositive();
      assertThat(count(registry, "parquet.ingest.files.committed")).isZero();
      assertThat(count(registry, "parquet.ingest.committed.bytes")).isZero();
      // the rows sit in the open file, unacknowledged: their age grows from 0 while it stays open
      await(() -> lagMillis(registry) > 0);
    } finally {
      report = handle.stop(PATIENCE);
    }

    assertThat(report.rowsWritten()).isEqualTo(ROWS);
    assertThat(report.files()).hasSize(1);
    assertThat(count(registry, "parquet.ingest.records.out")).isEqualTo(report.rowsWritten());
    assertThat(count(registry, "parquet.ingest.files.committed")).isEqualTo(1);
    assertThat(count(registry, "parquet.ingest.committed.bytes"))
        .isEqualTo(report.bytesOut())
        .isPositive();
    assertThat(gauge(registry, "parquet.ingest.files.open")).isZero();
    assertThat(gauge(registry, "parquet.ingest.workers")).isZero();
    assertThat(gauge(registry, "parquet.ingest.buffered.bytes")).isZero();
    assertThat(gauge(registry, "parquet.ingest.source.backlog")).isZero();
    assertThat(lagMillis(registry)).isZero();
  }

  private static void await(BooleanSupplier condition) {
    Await.until(PATIENCE, condition);
  }
}
