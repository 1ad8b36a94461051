package dev.parquetingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.testing.Await;
import dev.parquetingest.testing.FakeClock;
import dev.parquetingest.testing.LinesEncoderProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File ages and the idle acknowledgement run on the runtime's clock: with a fake one, an hour
 * passes at once, and a started pipeline rolls within one timer interval of real time.
 */
class FakeClockTest {
  private static final Schema IDS = Schema.builder().required("id", ColumnType.int64()).build();
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private static List<Path> dataFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
  }

  @Test
  void aFileRollsOnAgeWhenTheClockSaysAnHourHasPassed(@TempDir Path dir) throws Exception {
    FakeClock clock = new FakeClock();
    IngestHandle h =
        ParquetIngest.builder()
            .push(IDS)
            .encoder(new LinesEncoderProvider())
            .outputDirectory(dir)
            .maxFileAge(Duration.ofHours(1))
            .clock(clock)
            .start();
    MutableRow row = new MutableRow(IDS);
    for (long i = 0; i < 10; i++) {
      row.setLong(0, i);
      h.offer(row);
    }
    Await.until(PATIENCE, () -> h.queuedRows() == 0);
    // several timer ticks of real time: the file is not an hour old on this clock
    Thread.sleep(300);
    assertThat(dataFiles(dir)).isEmpty();

    clock.advance(Duration.ofHours(1));
    Await.until(
        PATIENCE,
        () -> {
          try {
            return dataFiles(dir).size() == 1;
          } catch (IOException e) {
            return false;
          }
        });
    assertThat(Files.readAllLines(dataFiles(dir).get(0))).hasSize(10);
    IngestReport report = h.stop(PATIENCE);
    assertThat(report.files()).hasSize(1);
    assertThat(report.wallTime()).isGreaterThanOrEqualTo(Duration.ofHours(1));
  }
}
