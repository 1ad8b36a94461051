package dev.parquetingest.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.BadRecordPolicy;
import dev.parquetingest.IngestHandle;
import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.ParquetIngestBuilder;
import dev.parquetingest.TestClocks;
import dev.parquetingest.common.BadRecordException;
import dev.parquetingest.common.IngestException;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.testing.Await;
import dev.parquetingest.testing.FakeClock;
import dev.parquetingest.testing.LinesEncoderProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming runtime through the public API ({@link ParquetIngest#start()}, {@link
 * IngestHandle}), with a fake line encoder and fake endless sources, over a real directory.
 */
class StreamingIngestTest {
  /** Liveness bound for waiting on the pipeline thread; no test asserts speed. */
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private static ParquetIngestBuilder pipeline(QueueSource source) {
    return ParquetIngest.builder()
        .source(source)
        .encoder(new LinesEncoderProvider())
        .filePrefix("t");
  }

  @Test
  void ageRollsAFileWhenNoNewRowArrives(@TempDir Path dir) {
    QueueSource source = new QueueSource();
    FakeClock clock = new FakeClock();
    try (IngestHandle h =
        TestClocks.withClock(pipeline(source), clock)
            .outputDirectory(dir)
            .maxFileAge(Duration.ofMinutes(5))
            .start()) {
      for (long i = 0; i < 5; i++) {
        source.put(i);
      }
      await(() -> source.taken() == 5);
      assertThat(TestSinks.dataFiles(dir)).isEmpty();
      // nothing more arrives: only the timer can roll the file, once it is old enough
      clock.advance(Duration.ofMinutes(5));
      await(() -> TestSinks.dataFiles(dir).size() == 1);
      assertThat(TestSinks.committedIds(dir)).containsExactly(0L, 1L, 2L, 3L, 4L);
      await(() -> source.acknowledged() == 5);
      assertThat(h.isRunning()).isTrue();
    }
  }

  @Test
  void stopCommitsWhatWasTakenAndAcknowledgesExactlyThat(@TempDir Path dir) throws Exception {
    QueueSource source = new QueueSource();
    IngestHandle h = pipeline(source).outputDirectory(dir).maxRowsPerFile(1_000).start();
    Thread producer =
        new Thread(
            () -> {
              for (long i = 0; i < 1_000_000 && !Thread.currentThread().isInterrupted(); i++) {
                source.put(i);
              }
            });
    producer.start();
    await(() -> source.taken() > 20_500);
    IngestReport report = h.stop(PATIENCE);
    producer.interrupt();
    producer.join();

    long taken = source.taken();
    List<Long> ids = TestSinks.committedIds(dir);
    assertThat(ids).hasSize((int) taken);
    assertThat(ids).containsExactlyElementsOf(LongStream.range(0, taken).boxed().toList());
    assertThat(source.acknowledged()).isEqualTo(taken);
    assertThat(source.closed()).isTrue();
    assertThat(report.rowsWritten()).isEqualTo(taken);
    assertThat(report.rowsAborted()).isZero();
    assertThat(report.files()).hasSize(TestSinks.dataFiles(dir).size());
    assertThat(report.files().get(0).location())
        .matches(".*/t-\\d{8}T\\d{9}Z-[0-9a-f]{4}-00000\\.parquet");
    assertThat(h.stop(Duration.ZERO)).isSameAs(report); // idempotent
  }

  @Test
  void stopPastTheDeadlineAbortsTheOpenFileWithoutAcknowledgingIt(@TempDir Path dir) {
    QueueSource source = new QueueSource();
    IngestHandle h = pipeline(source).outputDirectory(dir).maxRowsPerFile(100).start();
    for (long i = 0; i < 250; i++) {
      source.put(i);
    }
    await(() -> source.taken() == 250 && source.acknowledged() == 200);

    IngestReport report = h.stop(Duration.ZERO);

    assertThat(TestSinks.committedIds(dir))
        .containsExactlyElementsOf(LongStream.range(0, 200).boxed().toList());
    assertThat(source.acknowledged()).isEqualTo(200);
    assertThat(report.rowsAborted()).isEqualTo(50);
    assertThat(report.succeeded()).isTrue();
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.endsWith(".inprogress"));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void failingCommitsAcknowledgeNothingThatWasNotCommitted(@TempDir Path dir) {
    QueueSource source = new QueueSource();
    IngestHandle h =
        pipeline(source).sink(TestSinks.failingAfter(dir, 2)).maxRowsPerFile(100).start();
    for (long i = 0; i < 1_000; i++) {
      source.put(i);
    }
    await(() -> !h.isRunning());

    assertThatThrownBy(() -> h.stop(PATIENCE))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("injected failure");
    assertThat(TestSinks.committedIds(dir))
        .containsExactlyElementsOf(LongStream.range(0, 200).boxed().toList());
    assertThat(source.acknowledged()).isEqualTo(200);
    assertThat(source.acknowledgements()).isEqualTo(2);
    assertThatThrownBy(() -> h.stop(PATIENCE)).isInstanceOf(IngestException.class); // again
    h.close(); // quiet: stop has thrown the failure, so try-with-resources cannot mask it
  }

  @Test
  void rejectedRecordsAreCommittedBeforeTheirPositionsAreAcknowledged(@TempDir Path dir)
      throws IOException {
    QueueSource source = new QueueSource();
    FakeClock clock = new FakeClock();
    IngestHandle h =
        TestClocks.withClock(pipeline(source), clock)
            .outputDirectory(dir)
            .transform(
                row -> {
                  if (row.getLong(0) % 10 == 9) {
                    throw new BadRecordException(
                        "Cannot accept id " + row.getLong(0),
                        "queue",
                        -1,
                        "id",
                        String.valueOf(row.getLong(0)));
                  }
                  return row;
                })
            .onBadRecord(BadRecordPolicy.REJECT)
            .maxFileAge(Duration.ofMinutes(5))
            .start();
    for (long i = 0; i < 20; i++) {
      source.put(i);
    }
    await(() -> source.taken() == 20);
    clock.advance(Duration.ofMinutes(5));
    await(() -> source.acknowledged() == 20);
    List<String> rejects = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(p -> p.getFileName().toString().contains(".rejects-")).toList()) {
        rejects.addAll(Files.readAllLines(p));
      }
    }
    assertThat(rejects).hasSize(2);
    assertThat(rejects.get(0)).contains("\"record\":\"9\"");
    assertThat(TestSinks.committedIds(dir)).hasSize(18);

    // records that produce no row are acknowledged even when no file is open
    source.put(29);
    await(() -> source.taken() == 21);
    assertThat(source.acknowledged()).isEqualTo(20);
    clock.advance(Duration.ofMinutes(5));
    await(() -> source.acknowledged() == 21);
    IngestReport report = h.stop(PATIENCE);
    assertThat(report.rowsRejected()).isEqualTo(3);
  }

  @Test
  void pushedRowsAreCopiedAndAllCommittedOnClose(@TempDir Path dir) {
    MutableRow row = new MutableRow(QueueSource.SCHEMA);
    IngestHandle h =
        ParquetIngest.builder()
            .push(QueueSource.SCHEMA)
            .encoder(new LinesEncoderProvider())
            .outputDirectory(dir)
            .maxRowsPerFile(3_000)
            .pushCapacity(100)
            .start();
    for (long i = 0; i < 10_000; i++) {
      row.setLong(0, i); // the same row object every time: offer must copy it
      h.offer(row);
    }
    h.close();

    assertThat(TestSinks.committedIds(dir))
        .containsExactlyElementsOf(LongStream.range(0, 10_000).boxed().toList());
    assertThatThrownBy(() -> h.offer(row)).isInstanceOf(IllegalStateException.class);
    assertThat(TestSinks.dataFiles(dir).get(0).getFileName().toString()).startsWith("push-");
  }

  @Test
  void offerBlocksWhileTheQueueIsFullAndTimesOut(@TempDir Path dir) {
    CountDownLatch gate = new CountDownLatch(1);
    IngestHandle h =
        ParquetIngest.builder()
            .push(QueueSource.SCHEMA)
            .encoder(new LinesEncoderProvider())
            .sink(TestSinks.gated(dir, gate))
            .pushCapacity(10)
            .start();
    MutableRow row = new MutableRow(QueueSource.SCHEMA);
    int accepted = 0;
    // the pipeline holds one row in its (blocked) file and 10 wait in the queue
    for (long i = 0; i < 100; i++) {
      row.setLong(0, i);
      if (!h.offer(row, Duration.ofMillis(20))) {
        break;
      }
      accepted++;
    }
    assertThat(accepted).isBetween(10, 12);
    assertThat(h.queuedRows()).isEqualTo(10);

    gate.countDown();
    IngestReport report = h.stop(PATIENCE);
    assertThat(report.rowsWritten()).isEqualTo(accepted);
    assertThat(TestSinks.committedIds(dir)).hasSize(accepted);
  }

  @Test
  void pushRowsMustHaveThePipelinesSchema(@TempDir Path dir) {
    try (IngestHandle h =
        ParquetIngest.builder()
            .push(QueueSource.SCHEMA)
            .encoder(new LinesEncoderProvider())
            .outputDirectory(dir)
            .start()) {
      Row other = new MutableRow(Schema.builder().required("x", ColumnType.int32()).build());
      assertThatThrownBy(() -> h.offer(other))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Cannot offer row");
    }
    assertThatThrownBy(
            () ->
                ParquetIngest.builder()
                    .push(QueueSource.SCHEMA)
                    .encoder(new LinesEncoderProvider())
                    .outputDirectory(dir)
                    .run())
        .isInstanceOf(IllegalStateException.class);
    try (IngestHandle pull = pipeline(new QueueSource()).outputDirectory(dir).start()) {
      assertThatThrownBy(() -> pull.offer(new MutableRow(QueueSource.SCHEMA)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("push(schema)");
    }
  }

  static void await(BooleanSupplier condition) {
    Await.until(PATIENCE, condition);
  }
}
