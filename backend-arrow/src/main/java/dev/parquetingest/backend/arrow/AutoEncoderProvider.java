package dev.parquetingest.backend.arrow;

import dev.parquetingest.backend.parquetmr.ParquetMrEncoderProvider;
import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.ColumnStats;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.spi.EncoderProvider;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code auto} backend: chooses {@code parquet-mr} or {@code arrow} per file from {@link
 * EncoderOptions#expectedRowsPerFile()}. Files expected to hold at least {@link
 * #ARROW_FROM_ROWS} rows go to {@code arrow}; smaller files, and files of unknown size, go to
 * {@code parquet-mr}. Both write the same content (rows, statistics, schema, footer metadata; not
 * the same bytes), so the choice only affects speed and memory.
 * The backend chosen shows in {@link Encoder#details()} as {@code auto.backend}.
 *
 * <p>Stateless and thread-safe.
 */
public final class AutoEncoderProvider implements EncoderProvider {
  /** The name to select this backend by. */
  public static final String NAME = "auto";

  /**
   * The crossover: from this many expected rows per file on, {@code arrow} is chosen.
   *
   * <p>Measured by the JMH suite in {@code jmh/} ({@code EncoderCrossoverBenchmark}: one file of
   * N = 10K to 400K rows of the generated 52-column logs and 12-column reviews data per operation,
   * on one pinned CPU with {@code -Xmx2276m}, under G1, a tightly sized G1 and ParallelGC), run
   * with
   *
   * <pre>{@code
   * flock /tmp/mvn.lock jmh/run-tables.sh
   * }</pre>
   *
   * <p>(tables in {@code docs/benchmarks.md}). At no measured N was {@code arrow} faster at that N
   * and at every larger one: on the logs data {@code parquet-mr} wrote 24% to 54% more rows/s at
   * 400K rows under all three collectors (and more at 100K), and on the reviews data the two were
   * within noise from 200K rows on. The crossover therefore lies above the largest file measured,
   * so {@code arrow} is chosen only for files expected to hold more than 400,000 rows; at every
   * size measured, the backend that was as fast or faster is the one chosen.
   */
  public static final long ARROW_FROM_ROWS = 400_001;

  private final EncoderProvider parquetMr = new ParquetMrEncoderProvider();
  private final EncoderProvider arrow = new ArrowEncoderProvider();

  @Override
  public String name() {
    return NAME;
  }

  /** Checks the backend the options would choose. */
  @Override
  public void checkUsable(EncoderOptions options) {
    choose(options).checkUsable(options);
  }

  @Override
  public Encoder open(Schema schema, OutputStream out, EncoderOptions options) {
    EncoderProvider chosen = choose(options);
    return new ChosenEncoder(chosen.open(schema, out, options), chosen.name());
  }

  /** The backend for a file of {@code options.expectedRowsPerFile()} rows. */
  EncoderProvider choose(EncoderOptions options) {
    long expected = options.expectedRowsPerFile();
    return expected >= ARROW_FROM_ROWS ? arrow : parquetMr;
  }

  /**
   * The chosen backend's encoder, with {@code auto.backend} added to its details: every {@link
   * Encoder} method is forwarded, defaults included, so that {@code auto} sizes, estimates and
   * reports exactly as the backend it chose.
   */
  private static final class ChosenEncoder implements Encoder {
    private final Encoder delegate;
    private final String backend;

    ChosenEncoder(Encoder delegate, String backend) {
      this.delegate = delegate;
      this.backend = backend;
    }

    @Override
    public void write(Row row) {
      delegate.write(row);
    }

    @Override
    public long rowCount() {
      return delegate.rowCount();
    }

    @Override
    public long bytesWritten() {
      return delegate.bytesWritten();
    }

    @Override
    public long bufferedBytes() {
      return delegate.bufferedBytes();
    }

    @Override
    public long memoryBytes() {
      return delegate.memoryBytes();
    }

    @Override
    public long estimatedFileSize() {
      return delegate.estimatedFileSize();
    }

    @Override
    public void finish() {
      delegate.finish();
    }

    @Override
    public List<ColumnStats> columnStats() {
      return delegate.columnStats();
    }

    @Override
    public Map<String, String> details() {
      Map<String, String> d = new HashMap<>(delegate.details());
      d.put("auto.backend", backend);
      return Map.copyOf(d);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
