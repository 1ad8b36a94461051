package dev.parquetingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.kafka.KafkaBroker;
import dev.parquetingest.kafka.KafkaBrokerExtension;
import dev.parquetingest.testing.Await;
import dev.parquetingest.testing.DuckDb;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code parquet-ingest kafka} as a service in a child JVM: SIGTERM or SIGINT while files are open
 * drains (commits the open files and their offsets) and exits 0 within {@code --drain-timeout};
 * then {@code --stop-when-idle} in a second run reads the rest and commits its open files when the
 * topic goes quiet, so each record is in the output exactly once.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaSignalIT {
  private static final int FIRST = 2_000;
  private static final int TOTAL = 3_000;
  private static final int PARTITIONS = 2;

  @TempDir Path dir;

  private static List<Path> files(Path out, String suffix) throws IOException {
    if (!Files.isDirectory(out)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(out)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String[] kafkaArgs(
      KafkaBroker kafka, String topic, String group, Path schema, Path out, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
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
                // files stay open until the stop: the drain must commit them
                "--max-file-age",
                "10m",
                "--workers",
                "2",
                "--consumer-property",
                "session.timeout.ms=6000"));
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }

  @ParameterizedTest
  @ValueSource(strings = {"TERM", "INT"})
  void aSignalDrainsTheOpenFilesCommitsTheirOffsetsAndExitsZero(String signal, KafkaBroker kafka)
      throws Exception {
    String topic = kafka.newTopic("drain", PARTITIONS);
    String group = kafka.newGroup();
    Path schema =
        Files.writeString(dir.resolve("schema.txt"), "id: int64 not null\nname: string\n");
    Path out = dir.resolve("out");
    Path stdout = dir.resolve("stdout");
    Path stderr = dir.resolve("stderr");
    kafka.sendIds(topic, PARTITIONS, 0, FIRST);
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
    command.addAll(
        List.of(
            kafkaArgs(kafka, topic, group, schema, out, "--drain-timeout", "15s", "--progress")));
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    try {
      // the progress line shows every record written into the (open) files
      Await.until(
          Duration.ofSeconds(60),
          () ->
              !p.isAlive()
                  || read(stderr).contains(String.format(Locale.ROOT, "%,d rows ", FIRST)));
      assertThat(p.isAlive()).as(Files.readString(stderr)).isTrue();
      assertThat(files(out, ".inprogress")).as("open files").hasSize(PARTITIONS);
      assertThat(files(out, ".parquet")).as("committed files").isEmpty();
      long signalled = System.nanoTime();
      assertThat(
              new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor())
          .isZero();
      assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("ended within --drain-timeout").isTrue();
      System.out.printf(
          "KafkaSignalIT: SIG%s drained in %d ms%n",
          signal, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled));
    } finally {
      p.destroyForcibly();
    }
    assertThat(p.exitValue()).as(Files.readString(stderr)).isZero();
    assertThat(Files.readString(stdout))
        .contains(String.format(Locale.ROOT, "Wrote %,d rows to 2 files", FIRST));
    assertThat(Files.readString(stderr)).contains("stopping").doesNotContain("Exception");
    assertThat(files(out, ".inprogress")).isEmpty();
    assertThat(
            DuckDb.query(
                "SELECT count(*), count(DISTINCT id) FROM read_parquet("
                    + DuckDb.literal(files(out, ".parquet"))
                    + ")"))
        .containsExactly(List.of((long) FIRST, (long) FIRST));
    Map<Integer, Long> end = kafka.endOffsets(topic, PARTITIONS);
    assertThat(kafka.committed(group, topic)).isEqualTo(end);

    // a second run of the group reads only what came after, and ends when the topic goes quiet,
    // committing its files although none is old enough to roll
    kafka.sendIds(topic, PARTITIONS, FIRST, TOTAL);
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    long started = System.nanoTime();
    int code =
        Main.run(
            kafkaArgs(kafka, topic, group, schema, out, "--stop-when-idle", "2s"),
            new PrintWriter(o),
            new PrintWriter(e));
    assertThat(code).as(e.toString()).isZero();
    assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(30));
    assertThat(o.toString()).contains(String.format(Locale.ROOT, "Wrote %,d rows", TOTAL - FIRST));
    assertThat(files(out, ".inprogress")).isEmpty();
    assertThat(
            DuckDb.query(
                "SELECT count(*), count(DISTINCT id), min(id), max(id) FROM read_parquet("
                    + DuckDb.literal(files(out, ".parquet"))
                    + ")"))
        .containsExactly(List.of((long) TOTAL, (long) TOTAL, 0L, TOTAL - 1L));
    assertThat(kafka.committed(group, topic)).isEqualTo(kafka.endOffsets(topic, PARTITIONS));
  }
}
