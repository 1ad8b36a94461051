package dev.parquetingest.jmh;

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
 * The crossover between the two encoder backends, after the Go experiment it reproduces: one
 * operation writes one Parquet file of the first {@link #rows} rows of a generated data set with
 * backend {@link #backend} (default options: ZSTD level 3, dictionaries on, 128 MB row groups; for
 * {@code arrow} the default 10,000-row chunks and Netty allocator) to a counting null stream.
 *
 * <p>What it measures: the score is files per second; rows per second is score × {@link #rows}.
 * Everything else is outside the measurement: the rows are generated, written as CSV, parsed by the
 * CSV source and stored column by column once per trial ({@link InputTable}); the output is
 * discarded. Run with {@code -prof gc} for allocation and GC counts and with {@link
 * PeakMemoryProfiler} for peak heap Δ, peak RSS Δ and the Arrow allocator's peak.
 *
 * <p>{@link #dataset}: {@code logs} (52 columns, the Go experiment's schema) or {@code reviews} (12
 * columns with long text) as a second table. JMH subclasses this class, so it is not final.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.nio=ALL-UNNAMED")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class EncoderCrossoverBenchmark {
  /** {@code logs} or {@code reviews}: which generated data set is written. */
  @Param({"logs", "reviews"})
  public String dataset;

  /** The encoder backend by provider name: {@code parquet-mr}, {@code arrow} (or {@code auto}). */
  @Param({"parquet-mr", "arrow"})
  public String backend;

  /** Rows per file, N in the Go report. */
  @Param({"10000", "25000", "50000", "100000", "200000", "400000"})
  public int rows;

  private InputTable table;
  private EncoderProvider provider;
  private EncoderOptions options;
  private CountingNullOutputStream out;

  /** Loads the input rows and finds the backend; nothing here is measured. */
  @Setup(Level.Trial)
  public void setUp() {
    table = InputData.load(Dataset.of(dataset), rows);
    provider = Encoders.find(backend);
    options = EncoderOptions.builder().expectedRowsPerFile(rows).build();
    provider.checkUsable(options);
    out = new CountingNullOutputStream();
  }

  /** Writes one file of {@link #rows} rows; returns its size. */
  @Benchmark
  public long writeFile() {
    return FileWriting.write(provider, options, table, rows, out);
  }

  /** Releases the input and the output stream. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (out != null) {
      out.close();
      out = null;
    }
    table = null;
    provider = null;
  }
}
