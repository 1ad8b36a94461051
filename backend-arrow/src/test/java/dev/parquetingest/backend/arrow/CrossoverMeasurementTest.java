package dev.parquetingest.backend.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.datagen.Dataset;
import dev.parquetingest.internal.Encoders;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.EncoderOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A quick cross-check of the JMH suite behind {@link AutoEncoderProvider#ARROW_FROM_ROWS}: both
 * backends write the generated reviews data in files of several sizes (the same total rows each
 * time, so small files pay their per-file cost many times) to a null stream, and rows/s and the
 * heap peak are printed. By default it only smoke-runs tiny sizes so that it cannot rot; the real
 * run:
 *
 * <pre>{@code
 * flock /tmp/mvn.lock mvn -B test -pl backend-arrow -Dtest=CrossoverMeasurementTest \
 *     -Dparquetingest.measure=true
 * }</pre>
 */
class CrossoverMeasurementTest {
  private static final boolean MEASURE = Boolean.getBoolean("parquetingest.measure");
  private static final int DISTINCT_ROWS = MEASURE ? 60_000 : 2_000;

  @TempDir Path dir;

  @Test
  void measure() throws IOException {
    List<MutableRow> rows = new ArrayList<>();
    TestRows.generated(
        Dataset.REVIEWS,
        DISTINCT_ROWS,
        dir.resolve("reviews.csv"),
        r -> rows.add(new MutableRow(r.schema()).copyFrom(r)));
    MutableRow[] data = rows.toArray(new MutableRow[0]);

    long[] fileSizes = MEASURE ? new long[] {1_000, 10_000, 100_000, 500_000} : new long[] {500};
    long total = MEASURE ? 1_000_000 : 1_000;
    int rounds = MEASURE ? 3 : 1;
    for (int round = 0; round < rounds; round++) {
      for (long size : fileSizes) {
        for (String backend : List.of("parquet-mr", "arrow")) {
          run(backend, data, size, total, round == rounds - 1);
        }
      }
    }
    if (MEASURE) {
      for (String backend : List.of("parquet-mr", "arrow")) {
        run(backend, data, 1_500_000, 1_500_000, true);
      }
    }
    assertThat(ArrowAllocators.allocatedBytes()).isZero();
  }

  private static void run(
      String backend, MutableRow[] data, long fileRows, long total, boolean print) {
    System.gc();
    long heapBefore = heapUsed();
    resetHeapPeaks();
    EncoderOptions options = EncoderOptions.builder().expectedRowsPerFile(fileRows).build();
    long started = System.nanoTime();
    long written = 0;
    long bytes = 0;
    while (written < total) {
      try (Encoder encoder =
          Encoders.find(backend)
              .open(Dataset.REVIEWS.schema(), OutputStream.nullOutputStream(), options)) {
        for (long i = 0; i < fileRows && written < total; i++, written++) {
          encoder.write(data[(int) (written % data.length)]);
        }
        encoder.finish();
        bytes += encoder.bytesWritten();
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    if (print) {
      System.out.printf(
          Locale.ROOT,
          "measure %-10s rows/file %,9d  files %,5d  %,10.0f rows/s  %6.1f MB/s out  heap peak +%,d MB%n",
          backend,
          fileRows,
          (total + fileRows - 1) / fileRows,
          written / seconds,
          bytes / seconds / 1e6,
          Math.max(0, heapPeak() - heapBefore) >> 20);
    }
  }

  private static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void resetHeapPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** The sum of the heap pools' peaks since the reset: an upper bound of the heap's peak. */
  private static long heapPeak() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
