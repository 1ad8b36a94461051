package dev.parquetingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The streaming commands' progress line and when it is drawn. */
class StreamProgressTest {
  @Test
  void aLineShowsTimeRowsRateFilesAndTheLagWithThePartitionThatLagsMost() {
    Map<String, Long> lag = new LinkedHashMap<>();
    lag.put("events/0", 100L);
    lag.put("events/1", 2_000L);
    lag.put("events/10", 1_000L);
    assertThat(StreamProgress.line(3_727, 1_200_000, 28_571.4, 12, 4, 3_100, lag))
        .isEqualTo(
            "1:02:07  1,200,000 rows  28,571 rows/s  12 files (4 open)  lag 3,100"
                + " (most: events/1 2,000)");
  }

  @Test
  void aSourceWithoutPartitionsOrWithoutALagFigureShowsJustTheTotalOrNa() {
    assertThat(StreamProgress.line(42, 1, 0.4, 1, 0, 17, Map.of()))
        .isEqualTo("0:42  1 rows  0 rows/s  1 file (0 open)  lag 17");
    assertThat(StreamProgress.line(0, 0, 0, 0, 0, -1, Map.of()))
        .isEqualTo("0:00  0 rows  0 rows/s  0 files (0 open)  lag n/a");
    assertThat(StreamProgress.line(5, 10, 2, 0, 2, 0, Map.of("t/0", 0L, "t/1", 0L)))
        .endsWith("lag 0");
  }

  @Test
  void progressIsNeverDrawnWithJsonAndOtherwiseFollowsTheOptionOrTheTerminal() {
    assertThat(StreamingRun.showProgress(true, true, true)).isFalse();
    assertThat(StreamingRun.showProgress(null, true, true)).isFalse();
    assertThat(StreamingRun.showProgress(null, false, true)).isTrue();
    assertThat(StreamingRun.showProgress(null, false, false)).isFalse();
    assertThat(StreamingRun.showProgress(true, false, false)).isTrue();
    assertThat(StreamingRun.showProgress(false, false, true)).isFalse();
  }
}
