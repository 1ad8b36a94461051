package dev.parquetingest.jmh;

import dev.parquetingest.backend.arrow.ArrowEncoderProvider;
import dev.parquetingest.datagen.Dataset;
import dev.parquetingest.internal.Encoders;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.spi.EncoderProvider;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@code arrow} backend's own settings: its allocation manager ({@code arrow.allocator}:
 * Netty's pooled direct memory or {@code Unsafe.allocateMemory}) and its chunk size ({@code
 * arrow.chunk-rows}), on the 52-column logs data set, writing to a counting null stream.
 *
 * <ul>
 *   <li>{@link #chunkSize}: one file of {@link ChunkInput#rows} rows per operation, for each
 *       allocator and chunk size; shows what the chunk size costs or saves in speed, heap and
 *       off-heap memory (the Arrow allocator peak, from {@link PeakMemoryProfiler}).
 *   <li>{@link #smallFile}: one file of 900 rows × 52 columns per operation, the Go report's
 *       allocator comparison, where the per-file cost of the allocator (a child allocator and a
 *       chunk of vectors per file) weighs most.
 * </ul>
 *
 * <p>Input rows are built once per trial ({@link InputTable}); only encoding is measured. JMH
 * subclasses this class and its states, so they are not final.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.nio=ALL-UNNAMED")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class ArrowAllocatorBenchmark {
  /** Input and settings of {@link #chunkSize}. */
  @State(Scope.Benchmark)
  public static class ChunkInput {
    /** {@code netty} or {@code unsafe}. */
    @Param({"netty", "unsafe"})
    public String allocator;

    /** Rows per Arrow chunk. */
    @Param({"1000", "10000", "100000"})
    public int chunkRows;

    /** Rows per file. */
    @Param({"100000"})
    public int rows;

    InputTable table;
    EncoderProvider provider;
    EncoderOptions options;
    CountingNullOutputStream out;

    /** Loads the input rows; nothing here is measured. */
    @Setup(Level.Trial)
    public void setUp() {
      table = InputData.load(Dataset.LOGS, rows);
      provider = Encoders.find(ArrowEncoderProvider.NAME);
      options = arrowOptions(allocator, chunkRows, rows);
      provider.checkUsable(options);
      out = new CountingNullOutputStream();
    }

    /** Releases the input and the output stream. */
    @TearDown(Level.Trial)
    public void tearDown() {
      if (out != null) {
        out.close();
        out = null;
      }
      table = null;
    }
  }

  /** Input and settings of {@link #smallFile}. */
  @State(Scope.Benchmark)
  public static class SmallFileInput {
    /** {@code netty} or {@code unsafe}. */
    @Param({"netty", "unsafe"})
    public String allocator;

    /** Rows per file: 900, as in the Go report's allocator comparison. */
    @Param({"900"})
    public int fileRows;

    InputTable table;
    EncoderProvider provider;
    EncoderOptions options;
    CountingNullOutputStream out;

    /** Loads the input rows; nothing here is measured. */
    @Setup(Level.Trial)
    public void setUp() {
      table = InputData.load(Dataset.LOGS, fileRows);
      provider = Encoders.find(ArrowEncoderProvider.NAME);
      options = arrowOptions(allocator, ArrowEncoderProvider.DEFAULT_CHUNK_ROWS, fileRows);
      provider.checkUsable(options);
      out = new CountingNullOutputStream();
    }

    /** Releases the input and the output stream. */
    @TearDown(Level.Trial)
    public void tearDown() {
      if (out != null) {
        out.close();
        out = null;
      }
      table = null;
    }
  }

  /**
   * Writes one file of {@link ChunkInput#rows} logs rows in chunks of {@link ChunkInput#chunkRows}.
   */
  @Benchmark
  public long chunkSize(ChunkInput in) {
    return FileWriting.write(in.provider, in.options, in.table, in.rows, in.out);
  }

  /**
   * Writes one file of 900 logs rows (52 columns) with allocator {@link SmallFileInput#allocator}.
   */
  @Benchmark
  public long smallFile(SmallFileInput in) {
    return FileWriting.write(in.provider, in.options, in.table, in.fileRows, in.out);
  }

  static EncoderOptions arrowOptions(String allocator, int chunkRows, int rows) {
    return EncoderOptions.builder()
        .expectedRowsPerFile(rows)
        .property(ArrowEncoderProvider.ALLOCATOR_PROPERTY, allocator)
        .property(ArrowEncoderProvider.CHUNK_ROWS_PROPERTY, Integer.toString(chunkRows))
        .build();
  }
}
