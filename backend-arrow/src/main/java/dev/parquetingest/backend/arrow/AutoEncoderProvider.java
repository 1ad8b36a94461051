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
 * EncoderOptions#expectedRowsPerFile()}. Files expected to hold at least {@link #ARROW_FROM_ROWS}
 * rows go to {@code arrow}; smaller files, and files of unknown size, go to {@code parquet-mr}.
 * Both write the same content (rows, statistics, schema, footer metadata; not the same bytes), so
 * the choice only affects speed and memory. The backend chosen shows in {@link Encoder#details()}
 * as {@code auto.backend}.
 *
 * <p>Stateless and thread-safe.
 */
public final class AutoEncoderProvider implements EncoderProvider {
  /** The name to select this backend by. */
  public static final String NAME = "auto";

  /**
   * The crossover: from this many expected rows per file on, {@code arrow} is chosen.
   *
   * <p>Measured by the JMH suite in {@code jmh/} ({@code EncoderCrossoverBenchmark}: one file of N
   * = 10K to 400K rows of the generated 52-column logs and 12-column reviews data per operation, on
   * one pinned CPU with {@code -Xmx2276m} under G1), run on 2026-12-01 with
   *
   * <pre>{@code
   * CONFIGS=g1 flock /tmp/mvn.lock jmh/run-tables.sh
   * }</pre>
   *
   * <p>(tables in {@code docs/benchmarks.md}). With its own columnar writer {@code arrow} was
   * faster at every N measured, on both data sets: by 28% to 66% on logs (197,528 against 154,133
   * rows/s at 400K rows) and by 24% to 63% on reviews. The crossover is therefore at or below the
   * smallest file measured, and {@code arrow} is chosen from there on. Smaller files were not
   * measured and keep {@code parquet-mr}, as do files of unknown size: {@code parquet-mr} needs no
   * JVM flags.
   */
  public static final long ARROW_FROM_ROWS = 10_000;

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
    public void finish(Map<String, String> keyValueMetadata) {
      delegate.finish(keyValueMetadata);
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
