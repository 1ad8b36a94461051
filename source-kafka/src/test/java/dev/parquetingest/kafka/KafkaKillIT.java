package dev.parquetingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two consumer processes ({@link KafkaToDirMain}, two members each) in one group on a 4-partition
 * topic; one gets SIGKILL in the middle and is started again; the other is stopped with SIGTERM at
 * the end (drain). Every id must be in the output exactly once, no file staged, and the group's
 * committed offsets must equal the topic's end offsets.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaKillIT {
  private static final int N = 300_000;

  private static Process start(KafkaBroker kafka, String group, String topic, Path out, Path log)
      throws IOException {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-cp",
            System.getProperty("java.class.path"),
            KafkaToDirMain.class.getName(),
            kafka.bootstrap(),
            group,
            topic,
            out.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  @Test
  void oneOfTwoProcessesKilledAndRestartedEveryIdExactlyOnce(KafkaBroker kafka, @TempDir Path dir)
      throws Exception {
    String topic = kafka.newTopic("kill", 4);
    String group = kafka.newGroup();
    Path out = Files.createDirectories(dir.resolve("out"));
    // the children's logs stay in target/ for a failure's post-mortem
    Path logA = Files.createDirectories(Path.of("target")).resolve("KafkaKillIT-a.log");
    Path logB = Path.of("target", "KafkaKillIT-b.log");
    Files.deleteIfExists(logA);
    Files.deleteIfExists(logB);
    kafka.sendIds(topic, 4, 0, N / 2);
    Process a = start(kafka, group, topic, out, logA);
    Process b = start(kafka, group, topic, out, logB);
    try {
      Await.until(Duration.ofSeconds(90), () -> KafkaSourceTest.parquetFiles(out).size() >= 8);
      assertThat(a.isAlive()).as(Files.readString(logA)).isTrue();
      a.destroyForcibly(); // SIGKILL: no drain, no hook, open files left staged
      a.waitFor(30, TimeUnit.SECONDS);
      kafka.sendIds(topic, 4, N / 2, N);
      a = start(kafka, group, topic, out, logA);
      KafkaSourceTest.awaitCommitted(kafka, group, topic, 4);
      assertThat(a.isAlive()).as(Files.readString(logA)).isTrue();
      assertThat(b.isAlive()).as(Files.readString(logB)).isTrue();
    } finally {
      for (Process p : List.of(a, b)) {
        p.destroy(); // SIGTERM: drain
      }
      for (Process p : List.of(a, b)) {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
    // 143: the JVM's status after SIGTERM once its shutdown hook (the drain) has run
    assertThat(b.exitValue()).as(Files.readString(logB)).isIn(0, 143);
    assertThat(Files.readString(logB)).doesNotContain("Exception");
    List<Path> files = KafkaSourceTest.parquetFiles(out);
    KafkaSourceTest.assertEveryIdOnceAndCommitted(kafka, group, topic, 4, files, N);
    // SIGKILL leaves the dead process's staged files behind (a restart cannot know them); the
    // graceful stop leaves none of its own
    System.out.printf(
        "KafkaKillIT: %d files; staged left by the SIGKILL: %d%n",
        files.size(), KafkaSourceTest.staged(out).size());
  }
}
