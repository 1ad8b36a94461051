package dev.parquetingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.kafka.KafkaBroker;
import dev.parquetingest.kafka.KafkaBrokerExtension;
import dev.parquetingest.sink.s3.S3Server;
import dev.parquetingest.sink.s3.S3ServerExtension;
import dev.parquetingest.testing.Await;
import dev.parquetingest.testing.DuckDb;
import dev.parquetingest.testing.SystemProperties;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parquet-ingest kafka --out s3://...}: a member process killed with SIGKILL after it has
 * committed objects, more records sent, a new member started: the replayed records make the names
 * of objects already in the bucket, which the reader skips past (their footers give the offsets),
 * so DuckDB finds every id exactly once and the group's offsets reach the end of the topic.
 */
@ExtendWith({KafkaBrokerExtension.class, S3ServerExtension.class})
class KafkaToS3IT {
  private static final int PARTITIONS = 2;
  private static final int N = 40_000;

  @TempDir Path dir;

  private static List<String> args(
      KafkaBroker kafka, S3Server s3, String topic, String group, Path schema, String bucket) {
    return List.of(
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
        "s3://" + bucket + "/raw",
        "--s3-endpoint",
        s3.endpoint().toString(),
        "--s3-region",
        "us-east-1",
        "--s3-path-style",
        "--max-rows-per-file",
        "2000",
        "--max-file-age",
        "1s",
        "--workers",
        "2",
        "--consumer-property",
        "session.timeout.ms=6000",
        "--consumer-property",
        "max.poll.records=500",
        "--no-progress");
  }

  @Test
  void aKilledMemberRestartedWritesEveryRecordOnceIntoTheBucket(KafkaBroker kafka, S3Server s3)
      throws Exception {
    String topic = kafka.newTopic("s3", PARTITIONS);
    String group = kafka.newGroup();
    String bucket = s3.newBucket();
    Path schema =
        Files.writeString(dir.resolve("schema.txt"), "id: int64 not null\nname: string\n");
    Path log = dir.resolve("child.log");
    kafka.sendIds(topic, PARTITIONS, 0, N / 2);
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Daws.accessKeyId=" + S3Server.ACCESS_KEY,
                "-Daws.secretAccessKey=" + S3Server.SECRET_KEY,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
    command.addAll(args(kafka, s3, topic, group, schema, bucket));
    Process a =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      Await.until(
          Duration.ofSeconds(90),
          () ->
              !a.isAlive()
                  || s3.keys(bucket).stream().filter(k -> k.endsWith(".parquet")).count() >= 4);
      assertThat(a.isAlive()).as(Files.readString(log)).isTrue();
      a.destroyForcibly(); // SIGKILL: objects committed, offsets possibly not yet
      assertThat(a.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      a.destroyForcibly();
    }
    kafka.sendIds(topic, PARTITIONS, N / 2, N);

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code;
    SystemProperties credentials =
        new SystemProperties()
            .set("aws.accessKeyId", S3Server.ACCESS_KEY)
            .set("aws.secretAccessKey", S3Server.SECRET_KEY);
    try {
      List<String> again = new ArrayList<>(args(kafka, s3, topic, group, schema, bucket));
      // well above the session timeout (6 s): the dead member's partitions come back only after
      // it and the rebalance that follows; 10 s was too short once on a busy 2-core CI machine
      // (the member got its partitions after the idle clock, which counts from the start, ran out)
      again.addAll(List.of("--stop-when-idle", "20s"));
      code = Main.run(again.toArray(new String[0]), new PrintWriter(out), new PrintWriter(err));
    } finally {
      credentials.close();
    }
    assertThat(code).as(err.toString()).isZero();
    List<Path> files = s3.download(bucket, ".parquet", Files.createDirectories(dir.resolve("dl")));
    assertThat(
            DuckDb.query(
                "SELECT count(*), count(DISTINCT id), min(id), max(id) FROM read_parquet("
                    + DuckDb.literal(files)
                    + ")"))
        .as("ids: count, distinct, min, max")
        .containsExactly(List.of((long) N, (long) N, 0L, N - 1L));
    assertThat(s3.keys(bucket))
        .filteredOn(k -> k.endsWith(".parquet"))
        .allSatisfy(
            k -> assertThat(k).matches("raw/" + topic + "/" + topic + "\\+[01]\\+\\d+\\.parquet"));
    assertThat(s3.uploads(bucket)).isEmpty();
    assertThat(kafka.committed(group, topic)).isEqualTo(kafka.endOffsets(topic, PARTITIONS));
  }
}
