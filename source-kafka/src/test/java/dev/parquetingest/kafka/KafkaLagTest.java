package dev.parquetingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.IngestHandle;
import dev.parquetingest.IngestMetrics;
import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.metrics.micrometer.IngestMeterBinder;
import dev.parquetingest.testing.Await;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lag of each topic-partition during a real run: in {@link IngestMetrics} and as a Micrometer
 * gauge per partition, from the records sent down to zero once all are read.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaLagTest {
  private static final int SMALL = 300;
  private static final int LARGE = 1_000;

  private static double gauge(SimpleMeterRegistry registry, String partition) {
    Gauge g =
        registry
            .find("parquet.ingest.source.partition.backlog")
            .tag("partition", partition)
            .gauge();
    return g == null ? Double.NaN : g.value();
  }

  @Test
  void eachPartitionsLagIsAGaugeThatFallsToZeroAsTheRecordsAreRead(
      KafkaBroker kafka, @TempDir Path dir) throws Exception {
    String topic = kafka.newTopic("lag", 2);
    String group = kafka.newGroup();
    for (int i = 0; i < SMALL + LARGE; i++) {
      kafka.send(topic, i < SMALL ? 0 : 1, "{\"id\":" + i + ",\"name\":\"n\"}");
    }
    kafka.flush();
    String p0 = topic + "/0";
    String p1 = topic + "/1";
    IngestMetrics metrics = new IngestMetrics();
    IngestReport report;
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (IngestMeterBinder binder =
        new IngestMeterBinder(metrics, Tags.empty(), Duration.ofMillis(50))) {
      binder.bindTo(registry);
      IngestHandle handle =
          ParquetIngest.builder()
              .source(
                  KafkaSource.builder(kafka.bootstrap(), group, topic)
                      .json(KafkaSourceTest.SCHEMA)
                      .maxPollWait(Duration.ofMillis(100))
                      .consumerProperty("max.poll.records", 50)
                      .build())
              .transform(
                  row -> {
                    try {
                      Thread.sleep(2); // slow enough to watch the lag fall
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    return row;
                  })
              .outputDirectory(dir)
              .maxFileAge(Duration.ofMillis(500))
              .metrics(metrics)
              .start();
      try {
        Await.until(
            Duration.ofSeconds(30), () -> metrics.sourceBacklogByPartition().keySet().size() == 2);
        Map<String, Long> early = metrics.sourceBacklogByPartition();
        assertThat(early.keySet()).containsExactly(p0, p1);
        assertThat(early.get(p0)).isBetween(0L, (long) SMALL);
        // ~2 ms a record: not more than a few hundred of partition 1 can be read by now
        assertThat(early.get(p1)).isBetween((long) SMALL + 1, (long) LARGE);
        assertThat(metrics.sourceBacklog()).isEqualTo(early.get(p0) + early.get(p1));

        Await.until(Duration.ofSeconds(5), () -> !Double.isNaN(gauge(registry, p1)));
        Map<String, Long> before = metrics.sourceBacklogByPartition();
        double seen = gauge(registry, p1);
        Map<String, Long> after = metrics.sourceBacklogByPartition();
        assertThat(seen).isBetween((double) after.get(p1), (double) before.get(p1));

        Await.until(
            Duration.ofSeconds(60),
            () ->
                metrics.sourceBacklogByPartition().equals(Map.of(p0, 0L, p1, 0L))
                    && metrics.recordsOut() == SMALL + LARGE);
        assertThat(gauge(registry, p0)).isZero();
        assertThat(gauge(registry, p1)).isZero();
        assertThat(
                registry.find("parquet.ingest.source.partition.backlog").gauges().stream()
                    .map(g -> g.getId().getTag("partition"))
                    .sorted()
                    .toList())
            .isEqualTo(List.of(p0, p1));
      } finally {
        report = handle.stop(Duration.ofSeconds(20));
      }
    }
    // the report keeps each partition's lag as the run last saw it, and writes it to its JSON
    assertThat(report.sourceBacklogByPartition()).isEqualTo(Map.of(p0, 0L, p1, 0L));
    assertThat(report.sourceBacklogByPartition().keySet()).containsExactly(p0, p1);
    assertThat(report.toJson())
        .containsPattern("\"sourceBacklogByPartition\":\\s*\\{\\s*\"" + p0 + "\":\\s*0,");
  }
}
