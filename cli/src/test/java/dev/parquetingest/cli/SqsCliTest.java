package dev.parquetingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.testing.DuckDb;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * {@code parquet-ingest sqs} end to end against ElasticMQ (an in-process SQS server, started once
 * for the class): messages in, partitioned Parquet files out (checked with DuckDB), every message
 * deleted; credentials from the SDK's default chain (system properties).
 */
class SqsCliTest {
  private static final int MESSAGES = 1_000;
  private static final Map<String, String> SAVED = new HashMap<>();
  private static SQSRestServer server;
  private static URI endpoint;
  private static SqsClient admin;

  @TempDir Path dir;

  @BeforeAll
  static void startServer() {
    setProperty("aws.accessKeyId", "x");
    setProperty("aws.secretAccessKey", "x");
    server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
    endpoint = URI.create("http://127.0.0.1:" + server.waitUntilStarted().localAddress().getPort());
    admin =
        SqsClient.builder()
            .httpClientBuilder(Apache5HttpClient.builder())
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
            .build();
  }

  @AfterAll
  static void stopServer() {
    admin.close();
    server.stopAndWait();
    SAVED.forEach(
        (k, v) -> {
          if (v == null) {
            System.clearProperty(k);
          } else {
            System.setProperty(k, v);
          }
        });
  }

  private static void setProperty(String key, String value) {
    SAVED.putIfAbsent(key, System.getProperty(key));
    System.setProperty(key, value);
  }

  private static String newQueue(String name) {
    String url = admin.createQueue(r -> r.queueName(name)).queueUrl();
    return endpoint + URI.create(url).getPath();
  }

  private static void send(String queue, int from, int to) {
    for (int i = from; i < to; i += 10) {
      List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
      for (int j = i; j < Math.min(i + 10, to); j++) {
        batch.add(
            SendMessageBatchRequestEntry.builder()
                .id("m" + j)
                .messageBody(
                    j == 500
                        ? "{not json"
                        : "{\"id\":" + j + ",\"country\":\"" + (j % 2 == 0 ? "de" : "fr") + "\"}")
                .build());
      }
      assertThat(admin.sendMessageBatch(r -> r.queueUrl(queue).entries(batch)).failed()).isEmpty();
    }
  }

  private static long messagesLeft(String queue) {
    return admin
        .getQueueAttributes(
            r ->
                r.queueUrl(queue)
                    .attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        .attributes()
        .values()
        .stream()
        .mapToLong(Long::parseLong)
        .sum();
  }

  private static List<Path> files(Path out, String suffix) throws IOException {
    try (Stream<Path> s = Files.walk(out)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  @Test
  void readsAQueueIntoPartitionedFilesDeletesEveryMessageAndStopsWhenIdle() throws Exception {
    String queue = newQueue("cli-" + System.nanoTime());
    send(queue, 0, MESSAGES);
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
              endpoint.toString(),
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
    assertThat(messagesLeft(queue)).as("every message deleted, the bad one too").isZero();
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
