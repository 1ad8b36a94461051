package dev.parquetingest.stream;

import static dev.parquetingest.stream.StreamingIngestTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.parquetingest.IngestHandle;
import dev.parquetingest.IngestMetrics;
import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.schema.Row;
import dev.parquetingest.spi.Transformer;
import dev.parquetingest.testing.LinesEncoderProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several workers on one shared source: fixed, and autoscaled by backlog and idleness. */
class WorkersTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  /** About 1,000 rows per second per worker, so that a backlog builds up. */
  private static final class Slow implements Transformer {
    @Override
    public Row apply(Row row) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return row;
    }
  }

  private static void assertEveryIdOnce(Path dir, long n) {
    List<Long> ids = TestSinks.committedIds(dir);
    assertThat(ids).hasSize((int) n);
    assertThat(new HashSet<>(ids)).hasSize((int) n).allMatch(id -> id >= 0 && id < n);
  }

  private static Set<String> workersInNames(Path dir) {
    return TestSinks.dataFiles(dir).stream()
        .map(p -> p.getFileName().toString().replaceAll(".*-(\\d{3})-\\d{5}\\.parquet", "$1"))
        .collect(Collectors.toSet());
  }

  @Test
  void fixedWorkersReadOneQueueAndEachRecordLandsOnce(@TempDir Path dir) {
    SharedQueueSource source = new SharedQueueSource();
    for (long i = 0; i < 10_000; i++) {
      source.put(i);
    }
    IngestMetrics metrics = new IngestMetrics();
    IngestHandle h =
        ParquetIngest.builder()
            .source(source)
            .encoder(new LinesEncoderProvider())
            .filePrefix("w")
            .outputDirectory(dir)
            .maxRowsPerFile(500)
            .maxFileAge(Duration.ofMillis(300)) // each worker's last file is partial
            .workers(3)
            .metrics(metrics)
            .start();
    await(() -> source.acknowledged.get() == 10_000);
    assertThat(metrics.workers()).isEqualTo(3);
    IngestReport report = h.stop(PATIENCE);

    assertEveryIdOnce(dir, 10_000);
    assertThat(source.readers).hasSize(3).allMatch(r -> r.closed);
    assertThat(source.readers).allMatch(r -> r.readerAcknowledged == r.taken);
    assertThat(workersInNames(dir)).containsExactlyInAnyOrder("000", "001", "002");
    assertThat(report.workers()).isEqualTo(3);
    assertThat(report.scaleEvents()).isZero();
  }

  @Test
  void workersScaleUpWithABacklogAndBackDownWhenIdle(@TempDir Path dir) {
    SharedQueueSource source = new SharedQueueSource();
    IngestMetrics metrics = new IngestMetrics();
    IngestHandle h =
        ParquetIngest.builder()
            .source(source)
            .encoder(new LinesEncoderProvider())
            .transform(Slow::new)
            .filePrefix("w")
            .outputDirectory(dir)
            .maxRowsPerFile(1_000)
            .maxFileAge(Duration.ofMillis(500))
            .workers(1, 3)
            .scaleInterval(Duration.ofMillis(200))
            .metrics(metrics)
            .start();
    long n = 12_000;
    for (long i = 0; i < n; i++) {
      source.put(i);
    }
    await(() -> metrics.workers() == 3);
    assertThat(source.readers).hasSize(3);
    // the queue drains, the workers idle: retired down to the minimum
    await(() -> source.waiting() == 0 && metrics.workers() == 1);
    await(() -> source.acknowledged.get() == n);
    IngestReport report = h.stop(PATIENCE);

    assertEveryIdOnce(dir, n);
    assertThat(source.readers).allMatch(r -> r.closed && r.readerAcknowledged == r.taken);
    assertThat(report.workers()).isEqualTo(3);
    assertThat(report.scaleEvents()).isGreaterThanOrEqualTo(4);
    assertThat(workersInNames(dir)).hasSize(3);
  }

  @Test
  void whenOneWorkerFailsTheIdleOnesStopAndTheRunEndsWithTheFailure(@TempDir Path dir) {
    SharedQueueSource source = new SharedQueueSource();
    IngestHandle h =
        ParquetIngest.builder()
            .source(source)
            .encoder(new LinesEncoderProvider())
            .transform(
                () ->
                    row -> {
                      if (row.getLong(0) == 5) {
                        throw new IllegalStateException("transformer failed on id 5");
                      }
                      return row;
                    })
            .filePrefix("w")
            .outputDirectory(dir)
            .workers(3)
            .start();
    for (long i = 0; i < 10; i++) {
      source.put(i);
    }
    // no stop(): the failure alone must end the run, although the other workers only idle
    assertThatThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(30), h::await))
        .hasMessageContaining("transformer failed on id 5");
    assertThat(source.readers).allMatch(r -> r.closed);
    assertThat(source.acknowledged.get()).isLessThan(10);
  }
}
