package dev.parquetingest.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Runs every benchmark method once on tiny inputs, without JMH, so that the benchmarks cannot rot:
 * a renamed provider, a broken setup or a failing encoder shows here in a second instead of in a
 * 20-minute run. A benchmark method added without a case here fails {@link
 * #everyBenchmarkMethodIsCovered()}.
 */
class BenchmarkSmokeTest {
  private static final List<String> COVERED =
      List.of(
          "EncoderCrossoverBenchmark.writeFile",
          "ArrowAllocatorBenchmark.chunkSize",
          "ArrowAllocatorBenchmark.smallFile",
          "CsvReadBenchmark.read",
          "ZstdFloorBenchmark.compressPages");

  @TempDir static Path data;

  private static String previousDirectory;

  @BeforeAll
  static void cacheInTemporaryDirectory() {
    previousDirectory = System.setProperty(InputData.DIRECTORY_PROPERTY, data.toString());
  }

  @AfterAll
  static void restoreDirectory() {
    if (previousDirectory == null) {
      System.clearProperty(InputData.DIRECTORY_PROPERTY);
    } else {
      System.setProperty(InputData.DIRECTORY_PROPERTY, previousDirectory);
    }
  }

  @Test
  void everyBenchmarkMethodIsCovered() {
    Set<String> found = new TreeSet<>();
    for (Class<?> type :
        List.of(
            EncoderCrossoverBenchmark.class,
            ArrowAllocatorBenchmark.class,
            CsvReadBenchmark.class,
            ZstdFloorBenchmark.class)) {
      for (Method m : type.getDeclaredMethods()) {
        if (m.isAnnotationPresent(Benchmark.class)) {
          found.add(type.getSimpleName() + "." + m.getName());
        }
      }
    }
    assertThat(found).containsExactlyInAnyOrderElementsOf(COVERED);
  }

  @Test
  void encoderCrossoverWritesAFileWithEachBackendAndDataset() {
    for (String dataset : List.of("logs", "reviews")) {
      for (String backend : List.of("parquet-mr", "arrow", "auto")) {
        EncoderCrossoverBenchmark b = new EncoderCrossoverBenchmark();
        b.dataset = dataset;
        b.backend = backend;
        b.rows = 300;
        b.setUp();
        try {
          assertThat(b.writeFile()).as("%s %s", dataset, backend).isGreaterThan(4);
          assertThat(b.writeFile()).as("a second file").isGreaterThan(4);
        } finally {
          b.tearDown();
        }
      }
    }
  }

  /**
   * The floor compresses exactly the file's pages: with the writer's level and one context, the
   * compressed bytes are those of the file's pages, so a page lost, added or altered in the
   * recovery would show.
   */
  @Test
  void zstdFloorCompressesTheFilesOwnPages() {
    for (String dataset : List.of("logs", "reviews")) {
      for (String backend : List.of("parquet-mr", "arrow")) {
        ZstdFloorBenchmark b = new ZstdFloorBenchmark();
        b.dataset = dataset;
        b.backend = backend;
        b.rows = 300;
        b.setUp();
        try {
          assertThat(b.compressPages()).as("%s %s", dataset, backend).isEqualTo(b.compressedInFile);
          assertThat(b.compressPages()).as("again").isEqualTo(b.compressedInFile);
        } finally {
          b.tearDown();
        }
      }
    }
  }

  @Test
  void arrowChunkSizeWritesAFileWithEachAllocator() {
    for (String allocator : List.of("netty", "unsafe")) {
      ArrowAllocatorBenchmark.ChunkInput in = new ArrowAllocatorBenchmark.ChunkInput();
      in.allocator = allocator;
      in.chunkRows = 64;
      in.rows = 300;
      in.setUp();
      ArrowPeak.reset();
      try {
        assertThat(new ArrowAllocatorBenchmark().chunkSize(in)).isGreaterThan(4);
        assertThat(ArrowPeak.max()).as("arrow allocator peak").isPositive();
      } finally {
        in.tearDown();
      }
    }
  }

  @Test
  void arrowSmallFileWritesAFileWithEachAllocator() {
    for (String allocator : List.of("netty", "unsafe")) {
      ArrowAllocatorBenchmark.SmallFileInput in = new ArrowAllocatorBenchmark.SmallFileInput();
      in.allocator = allocator;
      in.fileRows = 90;
      in.setUp();
      try {
        assertThat(new ArrowAllocatorBenchmark().smallFile(in)).isGreaterThan(4);
      } finally {
        in.tearDown();
      }
    }
  }

  @Test
  void csvReadReadsEveryRowWithEachReaderAndDataset() throws Exception {
    for (String dataset : List.of("reviews", "logs")) {
      for (String reader : List.of("bytes", "fastcsv")) {
        CsvReadBenchmark.Input in = new CsvReadBenchmark.Input();
        in.dataset = dataset;
        in.reader = reader;
        in.rows = 300;
        in.setUp();
        CsvReadBenchmark.Counters counters = new CsvReadBenchmark.Counters();
        assertThat(new CsvReadBenchmark().read(in, counters))
            .as("%s %s", dataset, reader)
            .isEqualTo(300);
        assertThat(counters.rows).isEqualTo(300);
        assertThat(counters.bytes).isEqualTo(java.nio.file.Files.size(in.file));
      }
    }
  }

  @Test
  void inputTableHoldsTheRowsTheCsvSourceRead() {
    InputTable table = InputData.load(dev.parquetingest.datagen.Dataset.LOGS, 50);
    assertThat(table.rows()).isEqualTo(50);
    assertThat(table.schema().size()).isEqualTo(52);
    InputTable.Cursor row = table.cursor().moveTo(49);
    int strings = 0;
    for (int c = 0; c < table.schema().size(); c++) {
      Object value = row.get(c);
      if (value instanceof String) {
        strings++;
        assertThat(row.getString(c).getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .isEqualTo(
                Arrays.copyOfRange(
                    row.bytes(c), row.bytesOffset(c), row.bytesOffset(c) + row.bytesLength(c)));
      }
    }
    assertThat(strings).isPositive();
    assertThat(InputData.load(dev.parquetingest.datagen.Dataset.LOGS, 50).rows()).isEqualTo(50);
  }

  @Test
  void profilerReadsTheProcessMemoryFigures() {
    assertThat(PeakMemoryProfiler.heapUsed()).isPositive();
    assertThat(PeakMemoryProfiler.heapPeaks()).isPositive();
    if (Path.of("/proc/self/status").toFile().canRead()) {
      assertThat(dev.parquetingest.internal.JvmMetrics.statusKilobytes("VmHWM:")).isPositive();
    }
    assertThat(dev.parquetingest.internal.JvmMetrics.statusKilobytes("NoSuchKey:")).isEqualTo(-1);
  }
}
