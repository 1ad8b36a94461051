package dev.parquetingest.backend.arrow;

import dev.parquetingest.backend.parquetmr.ParquetMrEncoderProvider;
import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.spi.EncoderProvider;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code auto} backend: chooses {@code parquet-mr} or {@code arrow} per file from {@link
 * EncoderOptions#expectedRowsPerFile()}. Files expected to hold at least {@link
 * #ARROW_FROM_ROWS} rows go to {@code arrow}; smaller files, and files of unknown size, go to
 * {@code parquet-mr}. Both write the same bytes, so the choice only affects speed and memory.
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
   * <p>Provisional, from a quick measurement rather than the JMH suite (which will replace it):
   * {@code CrossoverMeasurementTest} in this module's tests writes the generated reviews data in
   * files of 1K, 10K, 100K, 500K and 1.5M rows (1M rows in all per size, so small files pay their
   * per-file cost many times) with both backends and prints rows/s. Run it with
   *
   * <pre>{@code
   * flock /tmp/mvn.lock mvn -B test -pl backend-arrow -Dtest=CrossoverMeasurementTest \
   *     -Dparquetingest.measure=true
   * }</pre>
   *
   * <p>On a shared 2-core machine it found no difference beyond its noise (about 10%) at any of
   * those sizes (figures in {@code docs/backends.md}): both backends spend their time in the same
   * parquet-java encoders and ZSTD. The crossover is therefore placed by cost, not by a measured
   * speed-up: below ten default chunks per file ({@value ArrowEncoderProvider#DEFAULT_CHUNK_ROWS}
   * rows each) arrow's per-file allocator and vectors are not amortised and the simpler path
   * wins; above it, arrow's bounded, observable off-heap staging is free.
   */
  public static final long ARROW_FROM_ROWS = 100_000;

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

  /** The chosen backend's encoder, with {@code auto.backend} added to its details. */
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
    public void finish() {
      delegate.finish();
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
