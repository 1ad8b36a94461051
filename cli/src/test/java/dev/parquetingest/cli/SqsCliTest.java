package dev.parquetingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.sqs.SqsServer;
import dev.parquetingest.sqs.SqsServerExtension;
import dev.parquetingest.testing.DuckDb;
import dev.parquetingest.testing.SystemProperties;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code parquet-ingest sqs} end to end against ElasticMQ (an in-process SQS server, started once
 * per test JVM by {@link SqsServerExtension}): messages in, partitioned Parquet files out (checked
 * with DuckDB), every message deleted; credentials from the SDK's default chain (system
 * properties).
 */
@ExtendWith(SqsServerExtension.class)
class SqsCliTest {
  private static final int MESSAGES = 1_000;
  private static final SystemProperties PROPERTIES = new SystemProperties();

  @TempDir Path dir;

  @BeforeAll
  static void credentials() {
    PROPERTIES.set("aws.accessKeyId", "x").set("aws.secretAccessKey", "x");
  }

  @AfterAll
  static void restoreProperties() {
    PROPERTIES.close();
  }

  /** Ids [0, MESSAGES) with a country each, and one message that is not JSON in place of 500. */
  private static List<String> messages() {
    List<String> bodies = new ArrayList<>();
    for (int j = 0; j < MESSAGES; j++) {
      bodies.add(
          j == 500
              ? "{not json"
              : "{\"id\":" + j + ",\"country\":\"" + (j % 2 == 0 ? "de" : "fr") + "\"}");
    }
    return bodies;
  }

  private static List<Path> files(Path out, String suffix) throws IOException {
    try (Stream<Path> s = Files.walk(out)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  @Test
  void readsAQueueIntoPartitionedFilesDeletesEveryMessageAndStopsWhenIdle(SqsServer sqs)
      throws Exception {
    String queue = sqs.newQueue();
    sqs.send(queue, messages());
    Path schema =
        Files.writeString(dir.resolve("schema.txt"), "id: int64 not null\ncountry: string\n");
    Path out = dir.resolve("out");
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int code =
        Main.run(
            new String[] {
              "sqs",
              "--queue-url",
              queue,
              "--sqs-endpoint",
              sqs.endpoint().toString(),
              "--sqs-region",
              "us-east-1",
              "--wait-time",
              "1s",
              "--schema",
              schema.toString(),
              "--out",
              out.toString(),
              "--partition-by",
              "country",
              "--max-rows-per-file",
              "300",
              "--workers",
              "1..2",
              "--stop-when-idle",
              "3s"
            },
            new PrintWriter(stdout),
            new PrintWriter(stderr));
    assertThat(code).as(stderr.toString()).isZero();
    assertThat(stdout.toString()).contains("rejected 1");
    List<Path> data = files(out, ".parquet");
    assertThat(data)
        .allSatisfy(
            f -> assertThat(f.getParent().getFileName().toString()).matches("country=(de|fr)"));
    assertThat(
            DuckDb.query(
                "SELECT count(*), count(DISTINCT id), min(id), max(id),"
                    + " count(*) FILTER (WHERE (id % 2 = 0) <> (country = 'de'))"
                    + " FROM read_parquet("
                    + DuckDb.literal(data)
                    + ", hive_partitioning = true)"))
        .containsExactly(List.of(MESSAGES - 1L, MESSAGES - 1L, 0L, MESSAGES - 1L, 0L));
    List<Path> rejects = files(out, ".jsonl");
    assertThat(rejects.stream().filter(p -> p.getFileName().toString().contains("rejects")))
        .singleElement()
        .satisfies(r -> assertThat(Files.readString(r)).contains("{not json"));
    assertThat(files(out, ".inprogress")).isEmpty();
    assertThat(sqs.messagesLeft(queue)).as("every message deleted, the bad one too").isZero();
  }

  @Test
  void usageErrorsNameTheStreamingOptions() {
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int code =
        Main.run(
            new String[] {
              "sqs",
              "--queue-url",
              "http://127.0.0.1:1/q",
              "--schema",
              "s.txt",
              "--out",
              dir.toString(),
              "--workers",
              "3..2"
            },
            new PrintWriter(stdout),
            new PrintWriter(stderr));
    assertThat(code).isEqualTo(2);
    assertThat(stderr.toString()).contains("Invalid --workers 3..2: must be from 1 to 1024");
  }
}
