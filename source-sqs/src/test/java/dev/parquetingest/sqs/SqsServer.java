package dev.parquetingest.sqs;

import dev.parquetingest.testing.LocalServers;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * ElasticMQ, an in-process SQS-compatible server, on 127.0.0.1 and a free port, with a plain client
 * for the tests' own setup and checks. Started once per test JVM by {@link SqsServerExtension}.
 * Thread-safe. Public for other modules' tests, through this module's test-jar.
 */
public final class SqsServer implements AutoCloseable {
  static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x"));

  private static final AtomicInteger QUEUES = new AtomicInteger();

  private final SQSRestServer server;
  private final URI endpoint;
  private final SqsClient admin;

  SqsServer() {
    server = SQSRestServerBuilder.withInterface(LocalServers.HOST).withDynamicPort().start();
    int port = server.waitUntilStarted().localAddress().getPort();
    endpoint = URI.create("http://" + LocalServers.HOST + ":" + port);
    admin =
        SqsClient.builder()
            .httpClientBuilder(Apache5HttpClient.builder().maxConnections(16))
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(CREDENTIALS)
            .build();
  }

  public URI endpoint() {
    return endpoint;
  }

  SqsClient admin() {
    return admin;
  }

  /** Creates a new, empty queue and returns its URL (on this server's real address). */
  public String newQueue() {
    String name = "queue-" + QUEUES.incrementAndGet();
    String url = admin.createQueue(r -> r.queueName(name)).queueUrl();
    return endpoint + URI.create(url).getPath();
  }

  /** A source builder for the queue, talking to this server, with short waits for fast tests. */
  SqsSource.Builder source(String queueUrl) {
    return SqsSource.builder(queueUrl)
        .endpointOverride(endpoint)
        .region("us-east-1")
        .credentialsProvider(CREDENTIALS)
        .waitTime(java.time.Duration.ofSeconds(1));
  }

  /** Sends the bodies in batches of ten. */
  public void send(String queueUrl, List<String> bodies) {
    for (int from = 0; from < bodies.size(); from += 10) {
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int i = from; i < Math.min(from + 10, bodies.size()); i++) {
        entries.add(
            SendMessageBatchRequestEntry.builder()
                .id(Integer.toString(i - from))
                .messageBody(bodies.get(i))
                .build());
      }
      var failed = admin.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries)).failed();
      if (!failed.isEmpty()) {
        throw new IllegalStateException("Cannot send test messages: " + failed);
      }
    }
  }

  /** Visible plus in-flight messages, as the server counts them (exact for ElasticMQ). */
  public long messagesLeft(String queueUrl) {
    Map<QueueAttributeName, String> a =
        admin
            .getQueueAttributes(
                r ->
                    r.queueUrl(queueUrl)
                        .attributeNames(
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
            .attributes();
    long n = 0;
    for (String v : a.values()) {
      n += Long.parseLong(v);
    }
    return n;
  }

  /**
   * Receives and deletes every visible message until a receive comes back empty; returns their
   * bodies by message id.
   */
  Map<String, String> drain(String queueUrl) {
    Map<String, String> bodies = new HashMap<>();
    while (true) {
      List<Message> ms =
          admin
              .receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0))
              .messages();
      if (ms.isEmpty()) {
        return bodies;
      }
      List<software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry> entries =
          new ArrayList<>();
      for (Message m : ms) {
        bodies.put(m.messageId(), m.body());
        entries.add(
            software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry.builder()
                .id(Integer.toString(entries.size()))
                .receiptHandle(m.receiptHandle())
                .build());
      }
      admin.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
    }
  }

  @Override
  public void close() {
    admin.close();
    server.stopAndWait();
  }
}
