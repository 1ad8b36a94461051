package dev.parquetingest.kafka;

import dev.parquetingest.decoder.JsonMessageDecoder;
import dev.parquetingest.decoder.MessageDecoder;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.SharedSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads Kafka topics as members of one consumer group: each worker's reader ({@link #newReader()})
 * is a {@code KafkaConsumer} of its own in the group (cooperative-sticky assignment), so the
 * topics' partitions are spread over the workers of every process running with the same group id.
 * Each record value (JSON by default) becomes one row; see {@link Builder#json}, {@link
 * Builder#decoders}.
 *
 * <p>Delivery, effectively once per topic-partition: a file holds records of one topic-partition,
 * named after its first record ({@code [<directory>/]<topic>/[<partition
 * path>/]<topic>+<partition>+ <first offset>.parquet}); a partition's offset is committed ({@code
 * commitSync}, the offset after the last record) only once every file holding its records read so
 * far has been committed by the sink (and the rejects holding its undecodable records). On
 * revocation (a rebalance, a member leaving) the files holding the revoked partitions' records are
 * committed, and their offsets with them, before the consumer gives the partitions up; a file that
 * cannot be committed is aborted and its offsets are not committed. After a crash the records after
 * the last committed offset are read again and make the same file names: where the sink already
 * holds such a file, the reader moves past the offsets the file's footer records (see {@link
 * Reader#alreadyWritten}). See docs/delivery.md for exactly what holds under which settings.
 *
 * <p>An undecodable record (or a record without value) goes to the bad-record policy with its
 * topic, partition, offset and raw value.
 *
 * <p>Thread-safety: {@link #newReader()} and {@link #backlog()} are thread-safe; each reader is
 * used by one pipeline thread, as its consumer must be. Lifecycle: {@link #open()} returns the
 * schema; each reader's {@code open()} subscribes its consumer, its {@code close()} leaves the
 * group; the readers are closed before this source, whose {@link #close()} only marks it closed.
 */
public final class KafkaSource implements SharedSource {
  /** The longest a reader's poll may wait unless the runtime asks for less. */
  public static final Duration DEFAULT_MAX_POLL_WAIT = Duration.ofSeconds(1);

  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  final List<String> topics;
  final String name;
  final Supplier<? extends MessageDecoder> decoders;
  final Schema schema;
  final String directory;
  final Duration maxPollWait;
  private final Map<String, Object> consumerConfig;
  private final AtomicInteger readerIds = new AtomicInteger();

  /** Readers opened and not yet closed, for {@link #backlog()}. */
  final Set<Reader> openReaders = ConcurrentHashMap.newKeySet();

  private boolean opened;
  private volatile boolean closed;

  private KafkaSource(Builder b) {
    this.topics = List.copyOf(b.topics);
    this.name = String.join(",", topics);
    this.decoders = b.decoders;
    this.schema = Objects.requireNonNull(b.decoders.get(), "decoder").schema();
    this.directory = b.directory;
    this.maxPollWait = b.maxPollWait;
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    c.putAll(b.properties);
    // what the delivery guarantee rests on: not overridable
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, b.groupId);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
    c.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    this.consumerConfig = Map.copyOf(c);
  }

  /** A source reading {@code topics} in consumer group {@code groupId}. */
  public static Builder builder(String bootstrapServers, String groupId, String... topics) {
    return new Builder(bootstrapServers, groupId, List.of(topics));
  }

  /** The topics, comma-separated. */
  @Override
  public String name() {
    return name;
  }

  /** Returns the schema; connects nothing (each reader's {@code open()} does). */
  @Override
  public Schema open() {
    if (opened) {
      throw new IllegalStateException("Cannot open " + name + ": already opened");
    }
    if (closed) {
      throw new IllegalStateException("Cannot open " + name + ": closed");
    }
    opened = true;
    return schema;
  }

  /**
   * A new member of the consumer group with its own consumer and decoder. Thread-safe.
   *
   * @throws IllegalStateException once this source is closed
   */
  @Override
  public Reader newReader() {
    if (closed) {
      throw new IllegalStateException("Cannot add a reader to " + name + ": closed");
    }
    MessageDecoder d = Objects.requireNonNull(decoders.get(), "decoder");
    if (!d.schema().equals(schema)) {
      throw new IllegalStateException(
          "Cannot add a reader to " + name + ": its decoder has another schema");
    }
    return new Reader(this, readerIds.incrementAndGet(), d);
  }

  /** The consumer configuration of a new reader. */
  Properties consumerProperties(int readerId) {
    Properties p = new Properties();
    p.putAll(consumerConfig);
    Object client = consumerConfig.get(ConsumerConfig.CLIENT_ID_CONFIG);
    p.put(
        ConsumerConfig.CLIENT_ID_CONFIG,
        (client == null ? "parquet-ingest-" + name : client.toString()) + "-" + readerId);
    return p;
  }

  /**
   * The lag of the partitions the open readers own (records after each one's fetch position up to
   * the end offset the broker last reported), summed; -1 until some reader knows its lag. Each
   * reader measures its own after every poll. Thread-safe, never blocks.
   */
  @Override
  public long backlog() {
    long total = -1;
    for (Reader r : openReaders) {
      long lag = r.lag;
      if (lag >= 0) {
        total = total < 0 ? lag : total + lag;
      }
    }
    return total;
  }

  /**
   * The lag of each partition the open readers own, {@code <topic>/<partition>} to records (those
   * after the reader's position up to the end offset the broker last reported), sorted by topic and
   * partition number; a partition appears once its reader knows its lag and leaves when revoked.
   * Thread-safe, never blocks.
   */
  @Override
  public Map<String, Long> backlogByPartition() {
    Map<String, Long> all = new TreeMap<>(KafkaSource::comparePartitions);
    for (Reader r : openReaders) {
      all.putAll(r.lagByPartition);
    }
    return Collections.unmodifiableMap(all);
  }

  /** Orders {@code <topic>/<partition>} keys by topic, then partition number. */
  private static int comparePartitions(String a, String b) {
    int sa = a.lastIndexOf('/');
    int sb = b.lastIndexOf('/');
    int c = a.substring(0, sa).compareTo(b.substring(0, sb));
    return c != 0
        ? c
        : Integer.compare(
            Integer.parseInt(a.substring(sa + 1)), Integer.parseInt(b.substring(sb + 1)));
  }

  /** Marks the source closed; its readers must have been closed first. Idempotent. */
  @Override
  public void close() {
    closed = true;
  }

  /**
   * Configures a {@link KafkaSource}. Each setter checks its value at once, naming the option; not
   * thread-safe.
   */
  public static final class Builder {
    private final String bootstrapServers;
    private final String groupId;
    private final List<String> topics;
    private final Map<String, Object> properties = new HashMap<>();
    private Supplier<? extends MessageDecoder> decoders;
    private String directory = "";
    private Duration maxPollWait = DEFAULT_MAX_POLL_WAIT;

    private Builder(String bootstrapServers, String groupId, List<String> topics) {
      Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      Objects.requireNonNull(groupId, "groupId");
      if (bootstrapServers.isBlank()) {
        throw new IllegalArgumentException(
            "Invalid bootstrapServers '': expected host:port[,host:port...]");
      }
      if (groupId.isBlank()) {
        throw new IllegalArgumentException("Invalid groupId '': must not be empty");
      }
      if (topics.isEmpty()) {
        throw new IllegalArgumentException("Invalid topics []: name at least one topic");
      }
      for (String t : topics) {
        if (!TOPIC.matcher(t).matches()) {
          throw new IllegalArgumentException(
              "Invalid topic '" + t + "': expected 1 to 249 of [a-zA-Z0-9._-]");
        }
      }
      this.bootstrapServers = bootstrapServers;
      this.groupId = groupId;
      this.topics = new ArrayList<>(topics);
    }

    /**
     * Record values are JSON objects decoded into rows of {@code schema}; see {@link
     * JsonMessageDecoder}. Each reader gets its own decoder.
     */
    public Builder json(Schema schema) {
      Objects.requireNonNull(schema, "schema");
      return decoders(() -> JsonMessageDecoder.of(schema));
    }

    /**
     * How record values become rows, a new decoder per reader (each used by one thread), all of the
     * same schema; e.g. {@code () -> RawValueDecoder.of(schema, "value")} for values that are not
     * JSON. Required (or {@link #json}).
     */
    public Builder decoders(Supplier<? extends MessageDecoder> factory) {
      this.decoders = Objects.requireNonNull(factory, "decoders");
      return this;
    }

    /**
     * A consumer setting ({@code ConsumerConfig} names), e.g. {@code security.protocol}, {@code
     * max.poll.records} (default 2000 here), {@code auto.offset.reset} (where a group without
     * committed offsets starts; default {@code earliest} here). The settings the delivery guarantee
     * rests on cannot be changed: {@code enable.auto.commit} (false), {@code group.id}, {@code
     * bootstrap.servers}, the deserializers, {@code group.protocol} (classic) and {@code
     * partition.assignment.strategy} (cooperative-sticky).
     */
    public Builder consumerProperty(String key, Object value) {
      Objects.requireNonNull(key, "consumerProperty key");
      Objects.requireNonNull(value, "consumerProperty value");
      properties.put(key, value);
      return this;
    }

    /**
     * A directory inside the sink that every file name starts with, e.g. {@code raw/events};
     * default none: {@code <topic>/...} at the sink's top.
     */
    public Builder directory(String directory) {
      Objects.requireNonNull(directory, "directory");
      String d = directory.replaceAll("^/+|/+$", "");
      if (d.contains("..")) {
        throw new IllegalArgumentException("Invalid directory '" + directory + "': contains '..'");
      }
      this.directory = d;
      return this;
    }

    /**
     * The longest one poll of the consumer waits for records (the runtime may ask for less, to keep
     * its timers). Default 1 s.
     */
    public Builder maxPollWait(Duration wait) {
      Objects.requireNonNull(wait, "maxPollWait");
      if (wait.isNegative() || wait.isZero()) {
        throw new IllegalArgumentException("Invalid maxPollWait " + wait + ": must be positive");
      }
      this.maxPollWait = wait;
      return this;
    }

    /**
     * @throws IllegalStateException if no decoder is set
     */
    public KafkaSource build() {
      if (decoders == null) {
        throw new IllegalStateException(
            "Cannot build KafkaSource for " + topics + ": no decoder set (use json(schema))");
      }
      return new KafkaSource(this);
    }
  }
}
