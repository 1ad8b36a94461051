package dev.parquetingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.common.DataSize;
import dev.parquetingest.partition.Partitioning;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Batcher;
import dev.parquetingest.spi.FileStats;
import dev.parquetingest.spi.RollReason;
import dev.parquetingest.testing.Await;
import dev.parquetingest.testing.FakeClock;
import dev.parquetingest.testing.KeysSource;
import dev.parquetingest.testing.LinesEncoderProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every roll passes through the batcher with its {@link RollReason}: rows, the timer, memory
 * pressure and checkpoints are asked and a refusal keeps the file open; open-file eviction and the
 * end of input are forced, told through {@link Batcher#onForcedRoll} and never asked. Ages run on a
 * fake clock.
 */
class RollReasonTest {
  private static final Schema SCHEMA = KeysSource.SCHEMA;
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  /**
   * Never rolls on a row; on the timer once a file is {@code age} old; refuses {@code refused}.
   * Records the reasons other than rows and the timer in {@link #reasons}, asked or told, in order.
   */
  static final class Recording implements Batcher {
    final List<RollReason> reasons = Collections.synchronizedList(new ArrayList<>());
    final List<RollReason> asked = Collections.synchronizedList(new ArrayList<>());
    final List<RollReason> told = Collections.synchronizedList(new ArrayList<>());
    private final Set<RollReason> refused;
    private final long ageNanos;

    Recording(Duration age, RollReason... refused) {
      this.ageNanos = age.toNanos();
      this.refused = refused.length == 0 ? Set.of() : EnumSet.of(refused[0], refused);
    }

    @Override
    public boolean shouldRoll(FileStats file) {
      return false;
    }

    @Override
    public boolean shouldRoll(FileStats file, RollReason reason, long nowNanos) {
      asked.add(reason);
      switch (reason) {
        case ROW:
          return false;
        case TIMER:
          return nowNanos - file.openedNanos() >= ageNanos;
        default:
          reasons.add(reason);
          return !refused.contains(reason);
      }
    }

    @Override
    public void onForcedRoll(FileStats file, RollReason reason, long nowNanos) {
      told.add(reason);
      reasons.add(reason);
    }
  }

  /** Answers every question with {@code answer}; counts what it is asked and told. */
  static final class Answering implements Batcher {
    final List<RollReason> asked = Collections.synchronizedList(new ArrayList<>());
    final List<RollReason> told = Collections.synchronizedList(new ArrayList<>());
    private final boolean answer;

    Answering(boolean answer) {
      this.answer = answer;
    }

    @Override
    public boolean shouldRoll(FileStats file) {
      throw new AssertionError("the runtime asks only shouldRoll(file, reason, now)");
    }

    @Override
    public boolean shouldRoll(FileStats file, RollReason reason, long nowNanos) {
      asked.add(reason);
      return answer;
    }

    @Override
    public void onForcedRoll(FileStats file, RollReason reason, long nowNanos) {
      told.add(reason);
    }
  }

  private static List<Path> dataFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
  }

  private static long lines(List<Path> files) throws IOException {
    long n = 0;
    for (Path f : files) {
      n += Files.readAllLines(f).size();
    }
    return n;
  }

  /** Polled while the pipeline runs: a temp file removed during the walk means "look again". */
  private static boolean filesAre(Path dir, int n) {
    try {
      return dataFiles(dir).size() == n;
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }

  private static IngestReport batch(Path dir, Batcher batcher, int maxOpenFiles, String... keys) {
    return ParquetIngest.builder()
        .source(new KeysSource(keys))
        .encoder(new LinesEncoderProvider())
        .partitionBy(Partitioning.byColumns("k"))
        .maxOpenFiles(maxOpenFiles)
        .batcher(batcher)
        .filePrefix("t")
        .outputDirectory(dir)
        .run();
  }

  @Test
  void evictionAndTheEndAreToldToTheBatcherNotAskedAndFinishTheFile(@TempDir Path dir)
      throws Exception {
    Recording batcher = new Recording(Duration.ofDays(1));

    IngestReport report = batch(dir, batcher, 1, "a", "b", "a");

    assertThat(batcher.reasons)
        .containsExactly(RollReason.EVICTION, RollReason.EVICTION, RollReason.END);
    assertThat(batcher.told)
        .containsExactly(RollReason.EVICTION, RollReason.EVICTION, RollReason.END);
    assertThat(batcher.asked).noneMatch(RollReason::isForced);
    assertThat(report.files()).hasSize(3);
    assertThat(lines(dataFiles(dir))).isEqualTo(3);
  }

  @Test
  void aBatcherThatRefusesEveryQuestionIsObeyedAndOnlyForcedReasonsRoll(@TempDir Path dir)
      throws Exception {
    Answering no = new Answering(false);

    IngestReport report = batch(dir, no, 1, "a", "b", "a", "a", "a");

    // every row asked and refused: the only rolls are the two evictions and the end
    assertThat(no.asked).containsOnly(RollReason.ROW).hasSize(5);
    assertThat(no.told).containsExactly(RollReason.EVICTION, RollReason.EVICTION, RollReason.END);
    assertThat(report.files()).hasSize(3);
    assertThat(lines(dataFiles(dir))).isEqualTo(5);
  }

  @Test
  void aBatcherThatSaysYesToEveryRowRollsAfterEveryRow(@TempDir Path dir) throws Exception {
    Answering yes = new Answering(true);

    IngestReport report = batch(dir, yes, 10, "a", "a", "a", "b");

    assertThat(yes.asked).containsOnly(RollReason.ROW).hasSize(4);
    assertThat(yes.told).isEmpty(); // nothing open at the end, nothing evicted
    assertThat(report.files()).hasSize(4);
    assertThat(lines(dataFiles(dir))).isEqualTo(4);
  }

  @Test
  void theEndIsToldOncePerOpenFile(@TempDir Path dir) throws Exception {
    Recording batcher = new Recording(Duration.ofDays(1));

    IngestReport report = batch(dir, batcher, 10, "a", "b", "a", "c");

    assertThat(batcher.reasons).containsExactly(RollReason.END, RollReason.END, RollReason.END);
    assertThat(report.files()).hasSize(3);
  }

  private static IngestReport hog(Path dir, Batcher batcher) {
    List<String> keys = Collections.nCopies(1_000, "a");
    return ParquetIngest.builder()
        .source(new KeysSource(keys))
        .encoder(new LinesEncoderProvider(10_000)) // 10 KB of buffered memory per row
        .memoryBudget(DataSize.ofMegabytes(1))
        .batcher(batcher)
        .filePrefix("t")
        .outputDirectory(dir)
        .run();
  }

  @Test
  void memoryPressureIsAskedOfTheBatcher(@TempDir Path dir) throws Exception {
    Recording batcher = new Recording(Duration.ofDays(1));

    IngestReport report = hog(dir, batcher);

    // 128 rows hold 1.28 MB > 1 MB: a memory roll every 128 rows, 7 of them, then the end
    assertThat(batcher.reasons).startsWith(RollReason.MEMORY).endsWith(RollReason.END);
    assertThat(report.memoryRolls()).isEqualTo(7);
    assertThat(report.files()).hasSize(8);
    assertThat(lines(dataFiles(dir))).isEqualTo(1_000);
  }

  @Test
  void aBatcherThatRefusesAMemoryRollKeepsTheFileOpen(@TempDir Path dir) throws Exception {
    Recording refusing = new Recording(Duration.ofDays(1), RollReason.MEMORY);

    IngestReport report = hog(dir, refusing);

    assertThat(refusing.reasons).contains(RollReason.MEMORY).endsWith(RollReason.END);
    assertThat(report.memoryRolls()).isZero();
    assertThat(report.files()).hasSize(1);
    assertThat(lines(dataFiles(dir))).isEqualTo(1_000);
  }

  private static IngestHandle push(Path dir, Batcher batcher, FakeClock clock) {
    return ParquetIngest.builder()
        .push(SCHEMA)
        .encoder(new LinesEncoderProvider())
        .partitionBy(Partitioning.byColumns("k"))
        .batcher(batcher)
        .clock(clock)
        .filePrefix("t")
        .outputDirectory(dir)
        .start();
  }

  private static void offer(IngestHandle h, String... keys) {
    MutableRow row = new MutableRow(SCHEMA);
    for (int i = 0; i < keys.length; i++) {
      row.setLong(0, i);
      row.setString(1, keys[i]);
      h.offer(row);
    }
    Await.until(PATIENCE, () -> h.queuedRows() == 0);
  }

  @Test
  void oneFileRollingOnAgeIsACheckpointTheBatcherIsAskedAboutForTheOthers(@TempDir Path dir)
      throws Exception {
    FakeClock clock = new FakeClock();
    Recording batcher = new Recording(Duration.ofSeconds(10));
    IngestHandle h = push(dir, batcher, clock);
    offer(h, "a", "b");
    Thread.sleep(300);
    assertThat(dataFiles(dir)).isEmpty();

    // older than the batcher's 10 s, younger than the idle acknowledgement's minute
    clock.advance(Duration.ofSeconds(20));
    Await.until(PATIENCE, () -> filesAre(dir, 2));

    assertThat(batcher.reasons).containsExactly(RollReason.CHECKPOINT);
    assertThat(h.stop(PATIENCE).files()).hasSize(2);
  }

  @Test
  void aCheckpointDueForTheIdleAcknowledgementIsAskedForEveryFile(@TempDir Path dir)
      throws Exception {
    FakeClock clock = new FakeClock();
    Recording batcher = new Recording(Duration.ofDays(1));
    IngestHandle h = push(dir, batcher, clock);
    offer(h, "a", "b");
    Thread.sleep(300);
    assertThat(dataFiles(dir)).isEmpty();

    clock.advance(ParquetIngest.DEFAULT_IDLE_ACKNOWLEDGE_AGE);
    Await.until(PATIENCE, () -> filesAre(dir, 2));

    assertThat(batcher.reasons).containsExactly(RollReason.CHECKPOINT, RollReason.CHECKPOINT);
    assertThat(h.stop(PATIENCE).files()).hasSize(2);
  }

  @Test
  void aRefusedCheckpointKeepsTheFilesOpenUntilTheEnd(@TempDir Path dir) throws Exception {
    FakeClock clock = new FakeClock();
    Recording refusing = new Recording(Duration.ofDays(1), RollReason.CHECKPOINT);
    IngestHandle h = push(dir, refusing, clock);
    offer(h, "a", "b");

    clock.advance(ParquetIngest.DEFAULT_IDLE_ACKNOWLEDGE_AGE);
    Await.until(PATIENCE, () -> refusing.reasons.size() >= 4);
    assertThat(dataFiles(dir)).isEmpty();

    IngestReport report = h.stop(PATIENCE);
    assertThat(report.files()).hasSize(2);
    assertThat(refusing.reasons).contains(RollReason.CHECKPOINT).endsWith(RollReason.END);
    assertThat(lines(dataFiles(dir))).isEqualTo(2);
  }
}
