package dev.parquetingest.kafka;

import dev.parquetingest.ParquetIngest;
import dev.parquetingest.ParquetIngestBuilder;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The Kafka → local directory pipeline of {@link KafkaKillIT} as a process of its own: two workers
 * (two group members), 5,000-row files, 1 s age rolls; drains on SIGTERM (20 s), dies on SIGKILL.
 *
 * <p>Arguments: bootstrap servers, group id, topic, output directory.
 */
public final class KafkaToDirMain {
  private KafkaToDirMain() {}

  static ParquetIngestBuilder pipeline(String bootstrap, String group, String topic, Path out) {
    return ParquetIngest.builder()
        .source(
            KafkaSource.builder(bootstrap, group, topic)
                .json(KafkaSourceTest.SCHEMA)
                .maxPollWait(Duration.ofMillis(200))
                .consumerProperty("session.timeout.ms", 6000)
                .consumerProperty("heartbeat.interval.ms", 500)
                .consumerProperty("max.poll.records", 500)
                .build())
        .outputDirectory(out)
        .maxRowsPerFile(5_000)
        .maxFileAge(Duration.ofSeconds(1))
        .workers(2);
  }

  public static void main(String[] args) throws InterruptedException {
    pipeline(args[0], args[1], args[2], Path.of(args[3]))
        .stopOnShutdown(Duration.ofSeconds(20))
        .start();
    System.out.println("started");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
