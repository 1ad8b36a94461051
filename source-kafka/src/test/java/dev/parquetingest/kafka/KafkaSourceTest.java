package dev.parquetingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.BadRecordPolicy;
import dev.parquetingest.IngestHandle;
import dev.parquetingest.IngestMetrics;
import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.Sinks;
import dev.parquetingest.common.IngestException;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.StagedOutput;
import dev.parquetingest.testing.Await;
import dev.parquetingest.testing.DuckDb;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@link KafkaSource} in a pipeline against a real broker. */
@ExtendWith(KafkaBrokerExtension.class)
class KafkaSourceTest {
  static final Schema SCHEMA = Schema.parse("id: int64 not null\nname: string");
  static final Duration PATIENCE = Duration.ofSeconds(60);
  static final Pattern NAME = Pattern.compile("(.+)\\+(\\d+)\\+(\\d+)\\.parquet");

  static KafkaSource source(KafkaBroker kafka, String group, String topic) {
    return KafkaSource.builder(kafka.bootstrap(), group, topic)
        .json(SCHEMA)
        .maxPollWait(Duration.ofMillis(200))
        .consumerProperty("session.timeout.ms", 6000)
        .consumerProperty("heartbeat.interval.ms", 500)
        .build();
  }

  static List<Path> parquetFiles(Path dir) {
    return walk(dir, ".parquet");
  }

  static List<Path> staged(Path dir) {
    return walk(dir, ".inprogress");
  }

  /** The files under {@code dir} ending with {@code suffix}, while pipelines write into it. */
  private static List<Path> walk(Path dir, String suffix) {
    for (int attempt = 0; ; attempt++) {
      try (Stream<Path> s = Files.walk(dir)) {
        return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
      } catch (IOException | java.io.UncheckedIOException e) {
        if (attempt >= 20) { // a staged file renamed or removed while listed: list again
          throw new AssertionError("Cannot list " + dir, e);
        }
      }
    }
  }

  /** Waits until the group has committed the end offset of every partition. */
  static void awaitCommitted(KafkaBroker kafka, String group, String topic, int partitions) {
    Map<Integer, Long> end = kafka.endOffsets(topic, partitions);
    Await.until(PATIENCE, () -> kafka.committed(group, topic).equals(end));
  }

  /**
   * Each file holds the records of one partition from the offset in its name on: records were sent
   * round-robin, so offset k of partition p holds id p + partitions * k.
   */
  static void assertFilesFollowTheirNames(List<Path> files, String topic, int partitions) {
    for (Path f : files) {
      Matcher m = NAME.matcher(f.getFileName().toString());
      assertThat(m.matches()).as(f.toString()).isTrue();
      assertThat(m.group(1)).isEqualTo(topic);
      assertThat(f.getParent().getFileName().toString()).isEqualTo(topic);
      int partition = Integer.parseInt(m.group(2));
      long first = Long.parseLong(m.group(3));
      List<List<Object>> r =
          DuckDb.query(
              "SELECT min(id), count(*), count(*) FILTER (WHERE id % "
                  + partitions
                  + " <> "
                  + partition
                  + ") FROM read_parquet("
                  + DuckDb.literal(f)
                  + ")");
      assertThat(((Number) r.get(0).get(0)).longValue())
          .as("first id of " + f)
          .isEqualTo(partition + (long) partitions * first);
      assertThat(((Number) r.get(0).get(2)).longValue()).as("ids of other partitions").isZero();
    }
  }

  /**
   * The records of ids [0, {@code n}) sent round-robin are all in {@code files}, each exactly once
   * and in the file its name says, and the group has committed the end offset of every partition.
   */
  static void assertEveryIdOnceAndCommitted(
      KafkaBroker kafka, String group, String topic, int partitions, List<Path> files, long n) {
    assertThat(
            DuckDb.query(
                    "SELECT count(*), count(DISTINCT id), min(id), max(id) FROM read_parquet("
                        + DuckDb.literal(files)
                        + ")")
                .get(0))
        .as("ids: count, distinct, min, max")
        .containsExactly(n, n, 0L, n - 1);
    assertFilesFollowTheirNames(files, topic, partitions);
    assertThat(kafka.committed(group, topic)).isEqualTo(kafka.endOffsets(topic, partitions));
  }

  @Test
  void twoWorkersWriteAFilePerTopicPartitionAndCommitTheEndOffsets(
      KafkaBroker kafka, @TempDir Path out) throws Exception {
    String topic = kafka.newTopic("events", 4);
    String group = kafka.newGroup();
    int n = 20_000;
    kafka.sendIds(topic, 4, 0, n);
    try (IngestHandle h =
        ParquetIngest.builder()
            .source(source(kafka, group, topic))
            .outputDirectory(out)
            .maxRowsPerFile(2_000)
            .maxFileAge(Duration.ofSeconds(1))
            .workers(2)
            .start()) {
      awaitCommitted(kafka, group, topic, 4);
      IngestReport report = h.stop(PATIENCE);
      assertThat(report.succeeded()).as(report.error()).isTrue();
      assertThat(report.rowsWritten()).isEqualTo(n);
    }
    List<Path> files = parquetFiles(out);
    assertThat(files.size()).isGreaterThanOrEqualTo(10); // 5,000 per partition, 2,000 a file
    assertEveryIdOnceAndCommitted(kafka, group, topic, 4, files, n);
    assertThat(staged(out)).isEmpty();
  }

  @Test
  void anUndecodableRecordIsRejectedWithTopicPartitionOffsetAndRawValue(
      KafkaBroker kafka, @TempDir Path out) throws Exception {
    String topic = kafka.newTopic("bad", 2);
    String group = kafka.newGroup();
    kafka.send(topic, 0, "{\"id\":0}");
    kafka.send(topic, 1, "{\"id\":1}");
    kafka.send(topic, 1, "not json at all");
    kafka.send(topic, 0, "{\"id\":\"two\"}");
    kafka.send(topic, 1, null);
    kafka.send(topic, 0, "{\"id\":3}");
    kafka.flush();
    try (IngestHandle h =
        ParquetIngest.builder()
            .source(source(kafka, group, topic))
            .outputDirectory(out)
            .onBadRecord(BadRecordPolicy.REJECT)
            .maxFileAge(Duration.ofMillis(500))
            .start()) {
      awaitCommitted(kafka, group, topic, 2);
      IngestReport report = h.stop(PATIENCE);
      assertThat(report.rowsRejected()).isEqualTo(3);
      assertThat(report.rowsWritten()).isEqualTo(3);
    }
    List<String> rejects = new ArrayList<>();
    try (Stream<Path> s = Files.list(out)) {
      for (Path p : s.filter(p -> p.toString().contains(".rejects")).toList()) {
        rejects.addAll(Files.readAllLines(p));
      }
    }
    assertThat(rejects).hasSize(3);
    assertThat(rejects)
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("topic " + topic + ", partition 1, offset 1")
                    .contains("\"record\":\"not json at all\""))
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("topic " + topic + ", partition 0, offset 1")
                    .contains("\"column\":\"id\"")
                    .contains("Cannot read column 'id' as int64"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("topic " + topic + ", partition 1, offset 2")
                    .contains("no value"));
    List<Path> files = parquetFiles(out);
    assertThat(
            DuckDb.query("SELECT id FROM read_parquet(" + DuckDb.literal(files) + ") ORDER BY id"))
        .containsExactly(List.of(0L), List.of(1L), List.of(3L));
  }

  @Test
  void aFileRollsOnAgeWithNoNewRecordsAndItsOffsetsAreCommitted(
      KafkaBroker kafka, @TempDir Path out) throws Exception {
    String topic = kafka.newTopic("quiet", 1);
    String group = kafka.newGroup();
    kafka.sendIds(topic, 1, 0, 10);
    try (IngestHandle h =
        ParquetIngest.builder()
            .source(source(kafka, group, topic))
            .outputDirectory(out)
            .maxFileAge(Duration.ofSeconds(1))
            .start()) {
      Await.until(PATIENCE, () -> !parquetFiles(out).isEmpty());
      awaitCommitted(kafka, group, topic, 1);
      assertThat(h.isRunning()).isTrue();
      List<Path> files = parquetFiles(out);
      assertThat(files).hasSize(1);
      assertThat(files.get(0).getFileName().toString()).isEqualTo(topic + "+0+0.parquet");
      assertThat(DuckDb.count(files.get(0))).isEqualTo(10);
      assertThat(kafka.committed(group, topic)).containsEntry(0, 10L);
    }
  }

  @Test
  void aSinkThatCannotCommitLeavesTheOffsetsUncommitted(KafkaBroker kafka, @TempDir Path out)
      throws Exception {
    String topic = kafka.newTopic("failing", 2);
    String group = kafka.newGroup();
    kafka.sendIds(topic, 2, 0, 1_000);
    Sink failing = new FailingCommits(Sinks.localDirectory(out));
    IngestHandle h =
        ParquetIngest.builder()
            .source(source(kafka, group, topic))
            .sink(failing)
            .maxRowsPerFile(100)
            .start();
    IngestReport report;
    try {
      report = h.await();
    } catch (IngestException e) {
      report = null;
    }
    if (report != null) {
      assertThat(report.succeeded()).isFalse();
    }
    assertThat(kafka.committed(group, topic)).isEmpty();
    assertThat(parquetFiles(out)).isEmpty();
    assertThat(staged(out)).isEmpty();
  }

  @Test
  void aThirdMemberJoinsAndLeavesWhileFilesAreOpenNothingLostNothingTwice(
      KafkaBroker kafka, @TempDir Path out) throws Exception {
    String topic = kafka.newTopic("rebalance", 4);
    String group = kafka.newGroup();
    kafka.sendIds(topic, 4, 0, 4_000);
    // big, old-aged files: they are open when the group rebalances
    IngestMetrics m1 = new IngestMetrics();
    IngestMetrics m3 = new IngestMetrics();
    try (IngestHandle first =
        ParquetIngest.builder()
            .source(source(kafka, group, topic))
            .outputDirectory(out)
            .maxRowsPerFile(1_000_000)
            .maxFileAge(Duration.ofMinutes(10))
            .workers(2)
            .metrics(m1)
            .start()) {
      Await.until(PATIENCE, () -> m1.recordsIn() >= 4_000);
      assertThat(parquetFiles(out)).as("nothing committed yet").isEmpty();
      IngestReport third;
      try (IngestHandle joining =
          ParquetIngest.builder()
              .source(source(kafka, group, topic))
              .outputDirectory(out)
              .maxRowsPerFile(1_000_000)
              .maxFileAge(Duration.ofMinutes(10))
              .metrics(m3)
              .start()) {
        // the revocation commits the given-up partitions' files (and their offsets)
        Await.until(PATIENCE, () -> !parquetFiles(out).isEmpty() && kafka.members(group) == 3);
        kafka.sendIds(topic, 4, 4_000, 8_000);
        Await.until(PATIENCE, () -> m3.recordsIn() > 0);
        third = joining.stop(PATIENCE);
      }
      assertThat(third.succeeded()).as(third.error()).isTrue();
      kafka.sendIds(topic, 4, 8_000, 10_000);
      Await.until(PATIENCE, () -> kafka.members(group) == 2);
      IngestReport report = first.stop(PATIENCE);
      assertThat(report.succeeded()).as(report.error()).isTrue();
      assertThat(report.rowsWritten() + third.rowsWritten()).isEqualTo(10_000);
    }
    assertEveryIdOnceAndCommitted(kafka, group, topic, 4, parquetFiles(out), 10_000);
    assertThat(staged(out)).isEmpty();
  }

  /** A sink whose every commit fails after the bytes were written. */
  static final class FailingCommits implements Sink {
    private final Sink delegate;

    FailingCommits(Sink delegate) {
      this.delegate = delegate;
    }

    @Override
    public String describe() {
      return "failing " + delegate.describe();
    }

    @Override
    public StagedOutput create(String name) {
      StagedOutput s = delegate.create(name);
      return new StagedOutput() {
        @Override
        public OutputStream stream() {
          return s.stream();
        }

        @Override
        public String location() {
          return s.location();
        }

        @Override
        public void commit() {
          throw new IngestException("Cannot commit " + s.location() + ": the sink is down");
        }

        @Override
        public void abort() {
          s.abort();
        }
      };
    }

    @Override
    public boolean exists(String name) {
      return delegate.exists(name);
    }
  }
}
