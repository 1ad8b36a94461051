package dev.parquetingest.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.common.DataSize;
import dev.parquetingest.spi.FileStats;
import dev.parquetingest.spi.RollReason;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link DefaultBatcher} answers every {@link RollReason}, on the time it is given. */
class DefaultBatcherTest {
  private static final long OPENED = 5_000_000_000L;

  private static FileStats file(long rows, long bytes) {
    return new FileStats() {
      @Override
      public long rows() {
        return rows;
      }

      @Override
      public long bytesWritten() {
        return bytes;
      }

      @Override
      public long bufferedBytes() {
        return 0;
      }

      @Override
      public long openedNanos() {
        return OPENED;
      }
    };
  }

  private final DefaultBatcher batcher =
      new DefaultBatcher(DataSize.ofMegabytes(1), 1_000, Duration.ofMinutes(1));
  private final long young = OPENED + Duration.ofSeconds(59).toNanos();
  private final long old = OPENED + Duration.ofMinutes(1).toNanos();

  @Test
  void aRowRollsOnRowsSizeAndAge() {
    assertThat(batcher.shouldRoll(file(999, 0), RollReason.ROW, young)).isFalse();
    assertThat(batcher.shouldRoll(file(1_000, 0), RollReason.ROW, young)).isTrue();
    assertThat(batcher.shouldRoll(file(100, 1 << 20), RollReason.ROW, young)).isTrue();
    // size and age are looked at every CHECK_INTERVAL rows only
    assertThat(batcher.shouldRoll(file(101, 1 << 20), RollReason.ROW, young)).isFalse();
    assertThat(batcher.shouldRoll(file(200, 0), RollReason.ROW, old)).isTrue();
    assertThat(batcher.shouldRoll(file(201, 0), RollReason.ROW, old)).isFalse();
  }

  @Test
  void theTimerRollsOnAgeOnly() {
    assertThat(batcher.shouldRoll(file(1, 0), RollReason.TIMER, young)).isFalse();
    assertThat(batcher.shouldRoll(file(1, 0), RollReason.TIMER, old)).isTrue();
    assertThat(batcher.shouldRoll(file(5_000, 1 << 30), RollReason.TIMER, young)).isFalse();
  }

  @Test
  void memoryCheckpointEvictionAndTheEndAlwaysRoll() {
    for (RollReason r :
        new RollReason[] {
          RollReason.MEMORY, RollReason.CHECKPOINT, RollReason.EVICTION, RollReason.END
        }) {
      assertThat(batcher.shouldRoll(file(1, 0), r, young)).as(r.name()).isTrue();
    }
  }

  @Test
  void noAgeLimitNeverRollsOnTime() {
    DefaultBatcher ageless = new DefaultBatcher(DataSize.ofMegabytes(1), 1_000, null);
    assertThat(ageless.shouldRoll(file(1, 0), RollReason.TIMER, Long.MAX_VALUE)).isFalse();
  }
}
