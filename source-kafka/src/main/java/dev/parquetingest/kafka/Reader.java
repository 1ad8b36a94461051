package dev.parquetingest.kafka;

import dev.parquetingest.common.BadRecordException;
import dev.parquetingest.common.IngestException;
import dev.parquetingest.decoder.MessageDecodeException;
import dev.parquetingest.decoder.MessageDecoder;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.KeyedSource;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.Source;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of the consumer group, made by {@link KafkaSource#newReader()}: a {@code
 * KafkaConsumer} of its own, read by one pipeline thread. As a {@link KeyedSource} it keys files by
 * topic-partition and names them after their first offset; it commits a partition's offset when the
 * runtime reports the partition's records durable ({@link #keyDurable}, or {@link #acknowledge} for
 * all), and on revocation it has the runtime finish the revoked partitions' files first.
 *
 * <p>Not thread-safe: every method runs on the pipeline thread (the consumer's rebalance callbacks
 * run inside its poll, on that thread); {@link #lag} is published for {@link
 * KafkaSource#backlog()}.
 */
public final class Reader implements Source, KeyedSource {
  private static final Logger LOG = LoggerFactory.getLogger(Reader.class);

  private final KafkaSource source;
  private final int id;
  private final MessageDecoder decoder;
  private final String name;
  private KafkaConsumer<byte[], byte[]> consumer;
  private FileControl files;

  /** Polled records not yet handed out. */
  private final ArrayDeque<ConsumerRecord<byte[], byte[]>> buffer = new ArrayDeque<>();

  /** Per owned partition: the last record handed out and what is committed. */
  private final Map<TopicPartition, Progress> partitions = new HashMap<>();

  /** Commits refused during a rebalance, tried again after the next poll. */
  private final Map<TopicPartition, OffsetAndMetadata> pendingCommit = new HashMap<>();

  /** The same by file key, {@code <topic>/<partition>}. */
  private final Map<String, Progress> byKey = new HashMap<>();

  private Progress lastProgress;
  private long sequence;
  private long bytesRead;
  private boolean closed;

  /** The most {@link #close} waits for the consumer to leave its group. */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

  private boolean closing;
  private long commits;

  /** The owned partitions' lag after the last poll, or -1; read by other threads. */
  volatile long lag = -1;

  /**
   * The lag of each owned partition ({@code <topic>/<partition>}) whose lag the consumer knows,
   * after the last poll: records after the position handed out, up to the end offset the broker
   * last reported. Immutable; read by other threads.
   */
  volatile Map<String, Long> lagByPartition = Map.of();

  Reader(KafkaSource source, int id, MessageDecoder decoder) {
    this.source = source;
    this.id = id;
    this.decoder = decoder;
    this.name = source.name + "#" + id;
  }

  @Override
  public String name() {
    return name;
  }

  /** Creates the consumer and subscribes it to the topics; returns the schema. */
  @Override
  public Schema open() {
    if (consumer != null || closed) {
      throw new IllegalStateException("Cannot open " + name + ": already opened");
    }
    try {
      consumer = new KafkaConsumer<>(source.consumerProperties(id));
      consumer.subscribe(source.topics, new Listener());
    } catch (KafkaException e) {
      throw new IngestException("Cannot open " + name + ": " + e.getMessage(), e);
    }
    source.openReaders.add(this);
    return source.schema;
  }

  @Override
  public boolean next(MutableRow row) {
    Poll p;
    do {
      p = poll(row, 1, TimeUnit.SECONDS);
    } while (p == Poll.IDLE && !Thread.currentThread().isInterrupted());
    return p == Poll.RECORD;
  }

  /**
   * The next record of an owned partition, polling the consumer (at most {@code timeout}, at most
   * {@link KafkaSource.Builder#maxPollWait}) when none is buffered; never {@link Poll#END}.
   *
   * @throws BadRecordException for a record whose value is missing or cannot be decoded, naming its
   *     topic, partition and offset, with the raw value
   */
  @Override
  public Poll poll(MutableRow row, long timeout, TimeUnit unit) {
    ConsumerRecord<byte[], byte[]> r = nextRecord(timeout, unit);
    if (r == null) {
      return Poll.IDLE;
    }
    Progress p = lastProgress;
    byte[] value = r.value();
    bytesRead += (value == null ? 0 : value.length) + (r.key() == null ? 0 : r.key().length);
    if (value == null) {
      throw new BadRecordException(
          "Cannot decode record: it has no value (a tombstone)", where(p), -1, null, null);
    }
    try {
      decoder.decode(value, 0, value.length, row);
    } catch (MessageDecodeException e) {
      throw new BadRecordException(
          e.getMessage(), where(p), -1, e.column(), new String(value, StandardCharsets.UTF_8));
    }
    return Poll.RECORD;
  }

  private static String where(Progress p) {
    return "topic " + p.tp.topic() + ", partition " + p.tp.partition() + ", offset " + p.last;
  }

  private ConsumerRecord<byte[], byte[]> nextRecord(long timeout, TimeUnit unit) {
    while (true) {
      ConsumerRecord<byte[], byte[]> r = buffer.poll();
      if (r == null) {
        if (!pollConsumer(timeout, unit) || buffer.isEmpty()) {
          return null;
        }
        continue;
      }
      Progress p = partitions.get(new TopicPartition(r.topic(), r.partition()));
      if (p == null || r.offset() < p.skipBelow) {
        continue; // revoked meanwhile, or in a file an earlier run wrote
      }
      p.last = r.offset();
      p.handedOut = true;
      lastProgress = p;
      sequence++;
      return r;
    }
  }

  /** One poll of the consumer into the buffer; false if interrupted. */
  private boolean pollConsumer(long timeout, TimeUnit unit) {
    long millis = Math.min(unit.toMillis(timeout), source.maxPollWait.toMillis());
    ConsumerRecords<byte[], byte[]> records;
    try {
      records = consumer.poll(Duration.ofMillis(Math.max(millis, 0)));
    } catch (InterruptException | WakeupException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    for (ConsumerRecord<byte[], byte[]> r : records) {
      buffer.add(r);
    }
    retryPendingCommits();
    measureLag();
    return true;
  }

  private void measureLag() {
    long total = -1;
    Map<String, Long> byPartition = new HashMap<>();
    Map<TopicPartition, Integer> buffered = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : buffer) {
      buffered.merge(new TopicPartition(r.topic(), r.partition()), 1, Integer::sum);
    }
    for (Progress p : partitions.values()) {
      OptionalLong l = consumer.currentLag(p.tp);
      if (l.isPresent()) {
        long n = l.getAsLong() + buffered.getOrDefault(p.tp, 0);
        byPartition.put(p.key, n);
        total = total < 0 ? n : total + n;
      }
    }
    lag = total;
    lagByPartition = Map.copyOf(byPartition);
  }

  @Override
  public Position position() {
    Progress p = lastProgress;
    return p == null ? null : new KafkaPosition(this, sequence, p.tp, p.last);
  }

  /**
   * Every record handed out up to {@code position} is durable. For the position of the record last
   * read (what the runtime passes), commits every owned partition's offset after its last record
   * handed out; for an older position it commits nothing (a later acknowledgement will).
   *
   * @throws IllegalArgumentException for a position of another reader
   * @throws IngestException if the commit fails
   */
  @Override
  public void acknowledge(Position position) {
    if (!(position instanceof KafkaPosition) || ((KafkaPosition) position).reader != this) {
      throw new IllegalArgumentException(
          "Cannot acknowledge " + position + " on " + name + ": not a position of this reader");
    }
    if (((KafkaPosition) position).sequence != sequence) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (Progress p : partitions.values()) {
      if (p.handedOut && p.last + 1 > p.committed) {
        offsets.put(p.tp, new OffsetAndMetadata(p.last + 1));
      }
    }
    commit(offsets);
  }

  @Override
  public String fileKey() {
    return lastProgress.key;
  }

  @Override
  public Position lastPosition(String key) {
    Progress p = byKey.get(key);
    return p == null ? null : new KafkaPosition(this, -1, p.tp, p.last);
  }

  /** {@code [<directory>/]<topic>/[<partition path>/]<topic>+<partition>+<offset>.parquet}. */
  @Override
  public String fileName(String partitionPath) {
    Progress p = lastProgress;
    StringBuilder b = new StringBuilder();
    if (!source.directory.isEmpty()) {
      b.append(source.directory).append('/');
    }
    b.append(p.tp.topic()).append('/');
    if (!partitionPath.isEmpty()) {
      b.append(partitionPath).append('/');
    }
    return b.append(fileName(p.tp, p.last)).toString();
  }

  static String fileName(TopicPartition tp, long firstOffset) {
    return tp.topic() + "+" + tp.partition() + "+" + firstOffset + ".parquet";
  }

  /**
   * An earlier run wrote {@code name}, the file starting at the record last read: reads the last
   * offset its footer records ({@link FooterOffsets}) and moves the partition past it (the records
   * are durable, so their offsets are committed). Returns false, so the record is written again, if
   * the footer cannot be read or records no offsets of this partition.
   */
  @Override
  public boolean alreadyWritten(String name, Sink sink) {
    Progress p = lastProgress;
    long end;
    try {
      end = FooterOffsets.lastOffset(sink, name, p.tp);
    } catch (RuntimeException e) {
      LOG.warn("Cannot read the offsets {} holds ({}): its records are written again", name, e);
      return false;
    }
    if (end < p.last) {
      return false;
    }
    LOG.info("{} holds offsets {} to {} of {} already: moving past them", name, p.last, end, p.tp);
    p.skipBelow = end + 1;
    p.last = end;
    consumer.seek(p.tp, end + 1);
    buffer.removeIf(r -> r.partition() == p.tp.partition() && r.topic().equals(p.tp.topic()));
    commit(Map.of(p.tp, new OffsetAndMetadata(end + 1)));
    return true;
  }

  /** Commits the partition's offset after its last record handed out. */
  @Override
  public void keyDurable(String key) {
    Progress p = byKey.get(key);
    if (p != null && p.handedOut && p.last + 1 > p.committed) {
      commit(Map.of(p.tp, new OffsetAndMetadata(p.last + 1)));
    }
  }

  @Override
  public void bindFiles(FileControl control) {
    this.files = control;
  }

  /**
   * Commits {@code offsets}. While the group rebalances, the broker refuses commits: they are kept
   * and tried again after the next poll, for the partitions still owned (the records are durable in
   * committed files, so a partition that moved on is read again by its new owner, which skips the
   * files it finds). A member that was fenced (its partitions already given to another) gives up
   * the commit the same way.
   */
  private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets);
    } catch (RebalanceInProgressException e) {
      LOG.debug("{}: the group is rebalancing, committing {} after the next poll", name, offsets);
      offsets.forEach(
          (tp, o) -> pendingCommit.merge(tp, o, (a, b) -> a.offset() >= b.offset() ? a : b));
      return;
    } catch (CommitFailedException e) {
      LOG.info(
          "{}: cannot commit {} (no longer a member: {}); the new owner reads them again and skips"
              + " their files",
          name,
          offsets,
          e.getMessage());
      return;
    } catch (KafkaException e) {
      throw new IngestException(
          "Cannot commit the offsets " + offsets + " of " + name + ": " + e.getMessage(), e);
    }
    commits++;
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
      Progress p = partitions.get(e.getKey());
      if (p != null) {
        p.committed = e.getValue().offset();
      }
      OffsetAndMetadata pending = pendingCommit.get(e.getKey());
      if (pending != null && pending.offset() <= e.getValue().offset()) {
        pendingCommit.remove(e.getKey());
      }
    }
  }

  /** After a poll: the commits the rebalance refused, for the partitions still owned. */
  private void retryPendingCommits() {
    if (pendingCommit.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> retry = new HashMap<>();
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : pendingCommit.entrySet()) {
      Progress p = partitions.get(e.getKey());
      if (p != null && e.getValue().offset() > p.committed) {
        retry.put(e.getKey(), e.getValue());
      }
    }
    pendingCommit.clear();
    commit(retry);
  }

  /** Successful {@code commitSync} calls. */
  long commits() {
    return commits;
  }

  @Override
  public long bytesRead() {
    return bytesRead;
  }

  /** The partitions' summed lag: see {@link KafkaSource#backlog()}. */
  @Override
  public long backlog() {
    return lag;
  }

  /**
   * Leaves the group: records it read and did not have acknowledged are read again by the member
   * that gets their partitions, from the last committed offset. Waits at most {@link #CLOSE_WAIT}
   * for the leave: a consumer closed while its group rebalances can otherwise wait for the whole
   * close timeout (a drain after {@code --stop-when-idle} once took 30 s, past its deadline), and
   * what it would still send is only the leave (its offsets were committed after their files). If
   * the leave does not get through, the broker drops the member after {@code session.timeout.ms}.
   * Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    closing = true;
    source.openReaders.remove(this);
    if (consumer != null) {
      try {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(CLOSE_WAIT));
      } catch (KafkaException e) {
        LOG.warn("Cannot close the consumer of {} cleanly: {}", name, e.toString());
      }
    }
    buffer.clear();
    partitions.clear();
    byKey.clear();
    lagByPartition = Map.of();
    lag = -1;
  }

  @Override
  public String toString() {
    return "KafkaSource.Reader[" + name + "]";
  }

  /** Rebalance callbacks, on the pipeline thread inside {@code poll}. */
  private final class Listener implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      for (TopicPartition tp : assigned) {
        Progress p = new Progress(tp);
        partitions.put(tp, p);
        byKey.put(p.key, p);
      }
      LOG.debug("{} assigned {}", name, assigned);
    }

    /**
     * Commits the revoked partitions' files (the runtime's {@link FileControl}), which commits
     * their offsets; a file that cannot be committed is aborted and its offsets are not committed.
     */
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      giveUp(revoked, !closing);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      // another member may own them already: commit the files (the names are the same for it, so
      // a second writer's file is refused), but the offsets cannot be committed any more
      giveUp(lost, !closing);
    }

    private void giveUp(Collection<TopicPartition> revoked, boolean finishFiles) {
      if (revoked.isEmpty()) {
        return;
      }
      Set<String> keys = new HashSet<>();
      for (TopicPartition tp : revoked) {
        Progress p = partitions.get(tp);
        if (p != null) {
          keys.add(p.key);
        }
      }
      try {
        if (finishFiles && files != null && !keys.isEmpty()) {
          files.finishFiles(keys);
        }
      } finally {
        for (TopicPartition tp : revoked) {
          Progress p = partitions.remove(tp);
          if (p != null) {
            byKey.remove(p.key);
          }
          pendingCommit.remove(tp);
        }
        buffer.removeIf(r -> revoked.contains(new TopicPartition(r.topic(), r.partition())));
        Map<String, Long> kept = new HashMap<>(lagByPartition);
        for (TopicPartition tp : revoked) {
          kept.remove(tp.topic() + "/" + tp.partition());
        }
        lagByPartition = Map.copyOf(kept);
        if (lastProgress != null && !partitions.containsKey(lastProgress.tp)) {
          // the position stays valid for messages; acknowledging it commits only owned partitions
          lastProgress = new Progress(lastProgress.tp, lastProgress.last);
        }
        LOG.debug("{} gave up {}", name, revoked);
      }
    }
  }

  /** One owned partition: the last record handed out, what is committed, what to skip. */
  private static final class Progress {
    final TopicPartition tp;
    final String key;
    long last = -1;
    boolean handedOut;
    long committed = -1;
    long skipBelow = -1;

    Progress(TopicPartition tp) {
      this.tp = tp;
      this.key = tp.topic() + "/" + tp.partition();
    }

    Progress(TopicPartition tp, long last) {
      this(tp);
      this.last = last;
    }
  }

  /** The record at {@code offset} of {@code tp}, the {@code sequence}-th handed out. Immutable. */
  static final class KafkaPosition implements Position {
    final Reader reader;
    final long sequence;
    final TopicPartition tp;
    final long offset;

    KafkaPosition(Reader reader, long sequence, TopicPartition tp, long offset) {
      this.reader = reader;
      this.sequence = sequence;
      this.tp = tp;
      this.offset = offset;
    }

    /** {@code <topic>/<partition>@<offset>}, e.g. {@code events/2@1812}. */
    @Override
    public String describe() {
      return tp.topic() + "/" + tp.partition() + "@" + offset;
    }

    @Override
    public String toString() {
      return describe();
    }
  }
}
