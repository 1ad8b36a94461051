package dev.parquetingest.kafka;

import dev.parquetingest.testing.LocalServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real Kafka 4.3 broker for tests: one KRaft node (broker and controller) in a child JVM running
 * {@code kafka.Kafka}, on 127.0.0.1, with its log in a temporary directory. Started once per test
 * JVM by {@link KafkaBrokerExtension}; each test makes its own topics and groups.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final AtomicInteger NAMES = new AtomicInteger();

  private final Path dir;
  private final Process process;
  private final String bootstrap;
  private final Admin admin;
  private final KafkaProducer<byte[], byte[]> producer;

  public KafkaBroker() throws IOException, InterruptedException {
    dir = Files.createTempDirectory("kafka-broker");
    int port = LocalServers.freePort();
    int controller = LocalServers.freePort();
    bootstrap = LocalServers.HOST + ":" + port;
    Path config = dir.resolve("server.properties");
    Files.writeString(
        config,
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controller,
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "log.dirs=" + dir.resolve("data"),
            "num.partitions=1",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=2",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "auto.create.topics.enable=false",
            "log.flush.interval.messages=9223372036854775807",
            ""),
        StandardCharsets.UTF_8);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    Path log = dir.resolve("broker.log");
    Process format =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-cp",
                cp,
                "kafka.tools.StorageTool",
                "format",
                "-t",
                UUID.randomUUID().toString().replace("-", "").substring(0, 22),
                "-c",
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("format.log").toFile())
            .start();
    if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
      format.destroyForcibly();
      throw new IllegalStateException(
          "Cannot format the Kafka storage: " + Files.readString(dir.resolve("format.log")));
    }
    process =
        new ProcessBuilder(
                java,
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                cp,
                "kafka.Kafka",
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    LocalServers.awaitListening("Kafka", process, port, Duration.ofSeconds(60), log);
    Properties a = new Properties();
    a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    admin = Admin.create(a);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    // a fresh topic's first sends may meet NOT_LEADER_OR_FOLLOWER; an idempotent producer can
    // then stall in OUT_OF_ORDER_SEQUENCE_NUMBER retries, so: plain retries, one request in flight
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    producer = new KafkaProducer<>(p);
  }

  public String bootstrap() {
    return bootstrap;
  }

  /** A new topic of {@code partitions} partitions with a unique name starting with {@code base}. */
  public String newTopic(String base, int partitions) {
    String name = base + "-" + NAMES.incrementAndGet();
    try {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!hasLeaders(name)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Topic " + name + " has no leaders after 30 s");
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("Cannot create topic " + name, e);
    }
    return name;
  }

  private boolean hasLeaders(String topic) throws InterruptedException, ExecutionException {
    return admin
        .describeTopics(List.of(topic))
        .allTopicNames()
        .get()
        .get(topic)
        .partitions()
        .stream()
        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
  }

  /** A new group id. */
  public String newGroup() {
    return "group-" + NAMES.incrementAndGet();
  }

  /** Sends {@code value} to partition {@code partition} of {@code topic} (not flushed). */
  void send(String topic, int partition, String value) {
    producer.send(
        new ProducerRecord<>(
            topic, partition, null, value == null ? null : value.getBytes(StandardCharsets.UTF_8)));
  }

  /** Sends {"id": i, "name": "n<i>"} for ids [from, to), spread round-robin, and flushes. */
  public void sendIds(String topic, int partitions, long from, long to) {
    for (long i = from; i < to; i++) {
      send(topic, (int) (i % partitions), "{\"id\":" + i + ",\"name\":\"n" + i + "\"}");
    }
    producer.flush();
  }

  void flush() {
    producer.flush();
  }

  /** The end offset of each partition of {@code topic}. */
  public Map<Integer, Long> endOffsets(String topic, int partitions) {
    Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
    for (int i = 0; i < partitions; i++) {
      ask.put(new TopicPartition(topic, i), OffsetSpec.latest());
    }
    try {
      Map<Integer, Long> out = new HashMap<>();
      admin.listOffsets(ask).all().get().forEach((tp, r) -> out.put(tp.partition(), r.offset()));
      return out;
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("Cannot list the offsets of " + topic, e);
    }
  }

  /** The group's committed offset of each partition of {@code topic} (absent: none). */
  public Map<Integer, Long> committed(String group, String topic) {
    try {
      Map<TopicPartition, OffsetAndMetadata> m =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      Map<Integer, Long> out = new HashMap<>();
      m.forEach(
          (tp, o) -> {
            if (tp.topic().equals(topic) && o != null) {
              out.put(tp.partition(), o.offset());
            }
          });
      return out;
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("Cannot read the offsets of group " + group, e);
    }
  }

  /** The members of {@code group} now. */
  int members(String group) {
    try {
      return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().size();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("Cannot describe group " + group, e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (var files = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(files.toList());
      java.util.Collections.reverse(all);
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
