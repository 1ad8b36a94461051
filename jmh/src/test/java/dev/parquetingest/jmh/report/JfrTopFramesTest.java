package dev.parquetingest.jmh.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.github.luben.zstd.Zstd;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JfrTopFramesTest {
  private static final String ZSTD_PHASE = "ZSTD compression (zstd-jni)";
  private static final String FILL_PHASE =
      "filling the Arrow chunk (`ChunkRows.append`, with the input rows it reads)";
  private static final String ENCODE_PHASE =
      "encoding the columns (`ColumnarParquetWriter`: dictionaries, levels, statistics, pages)";

  @Test
  void periodsAreReadAsMilliseconds() {
    assertThat(JfrTopFrames.periodMillis("20 ms")).isEqualTo(20.0);
    assertThat(JfrTopFrames.periodMillis("1 s")).isEqualTo(1000.0);
    assertThat(JfrTopFrames.periodMillis("500 us")).isEqualTo(0.5);
    assertThat(JfrTopFrames.periodMillis("beginChunk")).isZero();
    assertThat(JfrTopFrames.periodMillis("x ms")).isZero();
  }

  /**
   * A native sample taken every 20 ms stands for twice the time of a Java sample taken every 10 ms:
   * one ZSTD sample and two Java ones are half and half, not a third and two thirds.
   */
  @Test
  void samplesCountForTheirPeriodAndGoToTheFirstPhaseOnTheirStack() {
    JfrTopFrames.Tally tally = new JfrTopFrames.Tally();
    String writer = "dev.parquetingest.backend.arrow.ColumnarParquetWriter.write";
    tally.add(
        List.of(
            "com.github.luben.zstd.ZstdCompressCtx.compressByteArray0",
            "dev.parquetingest.parquet.ZstdCodecFactory$ZstdCompressor.compress",
            writer),
        20);
    tally.add(
        List.of(
            "dev.parquetingest.jmh.InputTable$Cursor.bytes",
            "dev.parquetingest.backend.arrow.ChunkRows.append"),
        10);
    tally.add(List.of("dev.parquetingest.backend.arrow.BytesDictionary.find", writer), 10);
    tally.add(List.of(), 10);

    assertThat(tally.samples).isEqualTo(4);
    assertThat(tally.time).isEqualTo(50.0);
    assertThat(tally.phase.get(ZSTD_PHASE)).isEqualTo(20.0);
    assertThat(tally.phase.get(FILL_PHASE)).isEqualTo(10.0);
    assertThat(tally.phase.get(ENCODE_PHASE)).isEqualTo(10.0);
    assertThat(tally.share(tally.phase.get(ZSTD_PHASE))).isEqualTo(40.0, within(1e-9));
    assertThat(tally.self).containsEntry("ZstdCompressCtx.compressByteArray0", 20.0);
    assertThat(tally.total).containsEntry("ColumnarParquetWriter.write", 30.0);
    assertThat(tally.phase.values().stream().mapToDouble(Double::doubleValue).sum())
        .isEqualTo(tally.time);
  }

  /** A real recording: its settings give both periods, and time spent in zstd-jni shows as ZSTD. */
  @Test
  void aRecordingOfJavaAndNativeWorkIsSplitIntoPhases(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("busy.jfr");
    try (Recording recording = new Recording()) {
      recording.enable(JfrTopFrames.EXECUTION).withPeriod(Duration.ofMillis(10));
      recording.enable(JfrTopFrames.NATIVE).withPeriod(Duration.ofMillis(20));
      // on in JFR's default and profile settings, which JMH's -prof jfr uses
      recording.enable("jdk.ActiveSetting");
      recording.start();
      Thread busy = new Thread(JfrTopFramesTest::javaAndNativeWork, "dev.parquetingest-jfr-test");
      busy.start();
      busy.join();
      recording.stop();
      recording.dump(file);
    }

    Map<String, Double> periods = JfrTopFrames.samplingPeriods(file);
    assertThat(periods)
        .containsEntry(JfrTopFrames.EXECUTION, 10.0)
        .containsEntry(JfrTopFrames.NATIVE, 20.0);
    String summary = JfrTopFrames.summarise(file, 10, "dev.parquetingest-jfr-test");
    assertThat(summary).contains("| phase | share of time |").contains("every 20 ms");
    String zstdRow =
        summary.lines().filter(l -> l.startsWith("| " + ZSTD_PHASE)).findFirst().orElseThrow();
    double zstdShare = Double.parseDouble(zstdRow.replaceAll(".*\\| ([0-9.]+)% \\|$", "$1").trim());
    assertThat(zstdShare).isGreaterThan(0.0).isLessThan(100.0);
  }

  /**
   * About two seconds of alternating ZSTD compression (native, about a third of the time, so that
   * the 20 ms native sampler sees it dozens of times) and hashing in Java.
   */
  private static void javaAndNativeWork() {
    byte[] input = new byte[4 << 20];
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < input.length; i++) {
      input[i] = (byte) ('a' + random.nextInt(16));
    }
    AtomicLong sink = new AtomicLong();
    long end = System.nanoTime() + 2_000_000_000L;
    while (System.nanoTime() < end) {
      sink.addAndGet(Zstd.compress(input, 3).length);
      long h = 0;
      for (int k = 0; k < 4; k++) {
        for (byte b : input) {
          h = (h ^ b) * 0x9E3779B97F4A7C15L;
        }
      }
      sink.addAndGet(h);
    }
    assertThat(sink.get()).isNotZero();
  }
}
