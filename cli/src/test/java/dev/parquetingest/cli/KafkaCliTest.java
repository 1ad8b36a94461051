package dev.parquetingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.kafka.KafkaBroker;
import dev.parquetingest.kafka.KafkaBrokerExtension;
import dev.parquetingest.testing.DuckDb;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code parquet-ingest kafka} end to end against a real broker. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaCliTest {
  @Test
  void consumesATopicWithTwoMembersAndStopsWhenIdle(KafkaBroker kafka, @TempDir Path dir)
      throws Exception {
    String topic = kafka.newTopic("cli", 2);
    String group = kafka.newGroup();
    kafka.sendIds(topic, 2, 0, 5_000);
    Path schema =
        Files.writeString(dir.resolve("schema.txt"), "id: int64 not null\nname: string\n");
    Path out = dir.resolve("out");
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int code =
        Main.run(
            new String[] {
              "kafka",
              "--bootstrap-servers",
              kafka.bootstrap(),
              "--topic",
              topic,
              "--group-id",
              group,
              "--schema",
              schema.toString(),
              "--out",
              out.toString(),
              "--max-file-age",
              "1s",
              "--workers",
              "2",
              "--consumer-property",
              "session.timeout.ms=6000",
              "--stop-when-idle",
              "3s",
              "--progress"
            },
            new PrintWriter(stdout),
            new PrintWriter(stderr));
    assertThat(code).as(stderr.toString()).isZero();
    // the progress line, drawn once a second, reached the end of the topic
    assertThat(stderr.toString()).contains("5,000 rows").contains("rows/s").contains("lag 0");
    assertThat(stdout.toString()).contains("lag at the end: " + topic + "/0 0 " + topic + "/1 0");
    List<Path> files;
    try (Stream<Path> s = Files.walk(out)) {
      files = s.filter(p -> p.toString().endsWith(".parquet")).toList();
    }
    assertThat(files)
        .allSatisfy(f -> assertThat(f.getParent().getFileName().toString()).isEqualTo(topic));
    assertThat(
            DuckDb.query(
                "SELECT count(*), count(DISTINCT id) FROM read_parquet("
                    + DuckDb.literal(files)
                    + ")"))
        .containsExactly(List.of(5_000L, 5_000L));
    assertThat(kafka.committed(group, topic)).isEqualTo(kafka.endOffsets(topic, 2));
  }
}
