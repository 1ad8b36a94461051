package dev.parquetingest.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.BadRecordPolicy;
import dev.parquetingest.IngestHandle;
import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.ParquetIngestBuilder;
import dev.parquetingest.common.IngestException;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.sink.s3.S3Server;
import dev.parquetingest.sink.s3.S3ServerExtension;
import dev.parquetingest.sink.s3.S3Sink;
import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.StagedOutput;
import dev.parquetingest.testing.DuckDb;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQS → Parquet → S3 end to end, ElasticMQ and s3proxy in-process, the output read back by DuckDB:
 * crash and restart, drain under load, failing commits, roll on age, rejects.
 */
@ExtendWith({SqsServerExtension.class, S3ServerExtension.class})
class SqsToS3IT {
  static final Schema SCHEMA = Schema.parse("id: int64 not null\nuser: string\namount: double");
  static final Duration PATIENCE = Duration.ofSeconds(60);

  static String body(long id) {
    return "{\"id\":"
        + id
        + ",\"user\":\"user-"
        + id % 97
        + "\",\"amount\":"
        + (id % 1000) / 4.0
        + "}";
  }

  /** Sends ids from..to-1 from four threads, in batches of ten. */
  static void sendIds(SqsServer sqs, String queue, int from, int to) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> fs = new ArrayList<>();
      int chunk = 1_000;
      for (int start = from; start < to; start += chunk) {
        int s = start;
        int e = Math.min(to, start + chunk);
        fs.add(
            pool.submit(
                () -> sqs.send(queue, IntStream.range(s, e).mapToObj(SqsToS3IT::body).toList())));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static ParquetIngestBuilder pipeline(SqsSource source, Sink sink) {
    return ParquetIngest.builder().source(source).sink(sink).filePrefix("events");
  }

  /** Every id in the committed Parquet files, counted: {total rows, distinct ids}. */
  static long[] counts(List<Path> files) {
    if (files.isEmpty()) {
      return new long[] {0, 0};
    }
    List<Object> r =
        DuckDb.query(
                "SELECT count(*), count(DISTINCT id) FROM read_parquet("
                    + DuckDb.literal(files)
                    + ")")
            .get(0);
    return new long[] {((Number) r.get(0)).longValue(), ((Number) r.get(1)).longValue()};
  }

  static Set<Long> ids(List<Path> files) {
    Set<Long> ids = new HashSet<>();
    if (files.isEmpty()) {
      return ids;
    }
    for (List<Object> r :
        DuckDb.query("SELECT id FROM read_parquet(" + DuckDb.literal(files) + ")")) {
      ids.add(((Number) r.get(0)).longValue());
    }
    return ids;
  }

  static Set<Long> idsOf(Map<String, String> bodies) {
    Set<Long> ids = new HashSet<>();
    for (String b : bodies.values()) {
      ids.add(Long.parseLong(b.substring(6, b.indexOf(','))));
    }
    return ids;
  }

  @Test
  void killedInTheMiddleAndRestartedEveryMessageLandsAtLeastOnce(
      SqsServer sqs, S3Server s3, @TempDir Path dir) throws Exception {
    int n = 100_000;
    String queue = sqs.newQueue();
    String bucket = s3.newBucket();
    sendIds(sqs, queue, 0, n);

    try (S3Sink sink = s3.sink(bucket, "events").build()) {
      // first life: killed without a drain once a third is delivered
      SqsSource first =
          sqs.source(queue)
              .json(SCHEMA)
              .visibilityTimeout(Duration.ofSeconds(3))
              .releaseOnClose(false) // for the queue, the kill is a crash
              .receiveThreads(3)
              .build();
      IngestHandle h1 = pipeline(first, sink).maxRowsPerFile(7_000).start();
      // Wait for a moment with rows in an open file: right after a commit a lone worker's next
      // file can still be empty, and a kill then aborts nothing.
      SqsSourceTest.await(
          () ->
              (first.counters().messagesDeleted() >= n / 3
                      && first.counters().messagesReceived()
                          > first.counters().messagesDeleted() + 3_000)
                  || !h1.isRunning());
      IngestReport killed = h1.stop(Duration.ZERO);
      assertThat(first.counters().messagesDeleted()).isLessThan(n);
      assertThat(first.counters().messagesReceived())
          .as("messages taken by the killed run but never deleted")
          .isGreaterThan(first.counters().messagesDeleted());

      // second life: picks up what is left, including the killed run's messages once their
      // visibility timeout has run out
      SqsSource second = sqs.source(queue).json(SCHEMA).receiveThreads(3).build();
      IngestHandle h2 =
          pipeline(second, sink).maxRowsPerFile(7_000).maxFileAge(Duration.ofSeconds(1)).start();
      SqsSourceTest.await(() -> sqs.messagesLeft(queue) == 0 || !h2.isRunning());
      IngestReport restarted = h2.stop(PATIENCE);
      assertThat(restarted.rowsAborted()).isZero();
      System.out.printf(
          "crash/restart: killed run %d rows written, %d aborted, peak heap %d MB;"
              + " restarted run %d rows, %.0f rows/s, peak heap %d MB, peak RSS %d MB,"
              + " %d files, %d deletes, %d visibility extensions%n",
          killed.rowsWritten(),
          killed.rowsAborted(),
          killed.peakHeapBytes() >> 20,
          restarted.rowsWritten(),
          restarted.rowsPerSecond(),
          restarted.peakHeapBytes() >> 20,
          restarted.peakRssBytes() >> 20,
          restarted.files().size(),
          second.counters().messagesDeleted(),
          second.counters().visibilityExtensions());
      assertThat(killed.rowsWritten() - killed.rowsAborted() + restarted.rowsWritten())
          .isGreaterThanOrEqualTo(n);
    }
    assertThat(s3.uploads(bucket)).isEmpty();
    List<Path> files = s3.download(bucket, ".parquet", dir);
    long[] c = counts(files);
    assertThat(c[1]).as("distinct ids").isEqualTo(n);
    assertThat(c[0]).as("rows, duplicates allowed").isGreaterThanOrEqualTo(n);
    List<Object> range =
        DuckDb.query("SELECT min(id), max(id) FROM read_parquet(" + DuckDb.literal(files) + ")")
            .get(0);
    assertThat(((Number) range.get(0)).longValue()).isZero();
    assertThat(((Number) range.get(1)).longValue()).isEqualTo(n - 1);
  }

  @Test
  void stopUnderLoadCommitsEverythingTakenAndDeletesExactlyThat(
      SqsServer sqs, S3Server s3, @TempDir Path dir) throws Exception {
    String queue = sqs.newQueue();
    String bucket = s3.newBucket();
    AtomicBoolean producing = new AtomicBoolean(true);
    AtomicLong sent = new AtomicLong();
    Thread producer =
        new Thread(
            () -> {
              long id = 0;
              while (producing.get()) {
                List<String> batch = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                  batch.add(body(id++));
                }
                sqs.send(queue, batch);
                sent.set(id);
              }
            });
    producer.start();
    SqsSource source = sqs.source(queue).json(SCHEMA).build();
    IngestReport report;
    try (S3Sink sink = s3.sink(bucket, "events").build()) {
      IngestHandle h = pipeline(source, sink).maxRowsPerFile(2_500).start();
      SqsSourceTest.await(() -> source.counters().messagesDeleted() >= 10_000 || !h.isRunning());
      report = h.stop(PATIENCE); // the producer is still sending
    } finally {
      producing.set(false);
      producer.join();
    }
    List<Path> files = s3.download(bucket, ".parquet", dir);
    long[] c = counts(files);
    Set<Long> committed = ids(files);
    Set<Long> left = idsOf(sqs.drain(queue));

    assertThat(report.rowsAborted()).isZero();
    assertThat(c[0]).as("no duplicates").isEqualTo(c[1]).isEqualTo(report.rowsWritten());
    assertThat(source.counters().messagesDeleted()).as("deleted = committed").isEqualTo(c[0]);
    assertThat(source.counters().deleteFailures()).isZero();
    Set<Long> both = new HashSet<>(committed);
    both.retainAll(left);
    assertThat(both).as("committed and still queued").isEmpty();
    assertThat(committed.size() + left.size()).as("nothing lost").isEqualTo(sent.get());
  }

  @Test
  void twoWorkersShareTheQueueAndEveryMessageLandsOnce(
      SqsServer sqs, S3Server s3, @TempDir Path dir) throws Exception {
    int n = 20_000;
    String queue = sqs.newQueue();
    String bucket = s3.newBucket();
    sendIds(sqs, queue, 0, n);
    SqsSource source = sqs.source(queue).json(SCHEMA).build();
    IngestReport report;
    try (S3Sink sink = s3.sink(bucket, "events").build()) {
      // each worker's last file is partial: the age roll commits it
      IngestHandle h =
          pipeline(source, sink)
              .maxRowsPerFile(2_500)
              .maxFileAge(Duration.ofSeconds(1))
              .workers(2)
              .start();
      SqsSourceTest.await(() -> source.counters().messagesDeleted() >= n || !h.isRunning());
      report = h.stop(PATIENCE);
    }
    List<Path> files = s3.download(bucket, ".parquet", dir);
    long[] c = counts(files);
    assertThat(c[0]).as("rows").isEqualTo(n);
    assertThat(c[1]).as("distinct ids").isEqualTo(n);
    assertThat(ids(files)).allMatch(id -> id >= 0 && id < n);
    assertThat(sqs.drain(queue)).as("left in the queue").isEmpty();
    assertThat(report.workers()).isEqualTo(2);
    // both workers wrote files, named by worker
    assertThat(report.files())
        .anyMatch(f -> f.location().matches(".*/events-[^/]*-000-\\d{5}\\.parquet"))
        .anyMatch(f -> f.location().matches(".*/events-[^/]*-001-\\d{5}\\.parquet"));
  }

  @Test
  void whenCommitsFailNothingUncommittedIsDeleted(SqsServer sqs, S3Server s3, @TempDir Path dir)
      throws Exception {
    String queue = sqs.newQueue();
    String bucket = s3.newBucket();
    sendIds(sqs, queue, 0, 5_000);
    SqsSource source = sqs.source(queue).json(SCHEMA).build();
    try (S3Sink s3Sink = s3.sink(bucket, "events").build()) {
      Sink sink = new FailingCommits(s3Sink, 3);
      IngestHandle h = pipeline(source, sink).maxRowsPerFile(1_000).start();
      SqsSourceTest.await(() -> !h.isRunning());
      assertThatThrownBy(() -> h.stop(PATIENCE))
          .isInstanceOf(IngestException.class)
          .hasMessageContaining("injected commit failure");
    }
    List<Path> files = s3.download(bucket, ".parquet", dir);
    assertThat(files).hasSize(3);
    Set<Long> committed = ids(files);
    assertThat(committed).hasSize(3_000);
    assertThat(source.counters().messagesDeleted()).isEqualTo(3_000);
    Set<Long> left = idsOf(sqs.drain(queue));
    assertThat(left).hasSize(2_000).doesNotContainAnyElementsOf(committed);
  }

  @Test
  void ageRollsAFileWithNoNewMessagesAndRejectsKeepTheRawBody(
      SqsServer sqs, S3Server s3, @TempDir Path dir) throws Exception {
    String queue = sqs.newQueue();
    String bucket = s3.newBucket();
    sqs.send(queue, List.of(body(1), "not json at all", body(2), "{\"id\":\"three\"}", body(4)));
    SqsSource source = sqs.source(queue).json(SCHEMA).build();
    try (S3Sink sink = s3.sink(bucket, "events").build()) {
      IngestHandle h =
          pipeline(source, sink)
              .maxFileAge(Duration.ofMillis(500))
              .onBadRecord(BadRecordPolicy.REJECT)
              .start();
      // nothing more is sent: only the timer can finish the file
      SqsSourceTest.await(() -> source.counters().messagesDeleted() == 5 || !h.isRunning());
      assertThat(h.isRunning()).isTrue();
      List<Path> files = s3.download(bucket, ".parquet", dir);
      assertThat(files).hasSize(1);
      assertThat(ids(files)).containsExactlyInAnyOrder(1L, 2L, 4L);
      // the manifest is a .jsonl file too
      List<Path> rejects =
          s3.download(bucket, ".jsonl", dir).stream()
              .filter(p -> p.getFileName().toString().contains(".rejects-"))
              .toList();
      assertThat(rejects).hasSize(1);
      List<String> lines = Files.readAllLines(rejects.get(0), StandardCharsets.UTF_8);
      assertThat(lines).hasSize(2);
      assertThat(String.join("\n", lines))
          .contains("\"record\":\"not json at all\"")
          .contains("Cannot parse message as JSON")
          .contains("\"record\":\"{\\\"id\\\":\\\"three\\\"}\"")
          .contains("Cannot read column 'id' as int64");
      IngestReport report = h.stop(PATIENCE);
      assertThat(report.rowsRejected()).isEqualTo(2);
      assertThat(report.rowsWritten()).isEqualTo(3);
    }
    assertThat(sqs.messagesLeft(queue)).isZero();
  }

  /** Commits the first {@code commits} data files, then fails every commit. Thread-safe. */
  static final class FailingCommits implements Sink {
    private final Sink delegate;
    private final AtomicInteger left;

    FailingCommits(Sink delegate, int commits) {
      this.delegate = delegate;
      this.left = new AtomicInteger(commits);
    }

    @Override
    public String describe() {
      return delegate.describe();
    }

    @Override
    public boolean exists(String name) {
      return delegate.exists(name);
    }

    @Override
    public StagedOutput create(String name) {
      StagedOutput out = delegate.create(name);
      if (!name.endsWith(".parquet")) {
        return out;
      }
      return new StagedOutput() {
        @Override
        public OutputStream stream() {
          return out.stream();
        }

        @Override
        public String location() {
          return out.location();
        }

        @Override
        public void commit() {
          if (left.getAndDecrement() <= 0) {
            throw new IngestException(
                "Cannot commit " + out.location() + ": injected commit failure");
          }
          out.commit();
        }

        @Override
        public void abort() {
          out.abort();
        }
      };
    }
  }
}
