package dev.parquetingest.backend.parquetmr;

import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.spi.EncoderProvider;
import java.io.OutputStream;

/**
 * The {@code parquet-mr} backend: rows go one by one through parquet-java's record writer. The
 * fastest choice for small files and the reference for every other backend. Stateless.
 */
public final class ParquetMrEncoderProvider implements EncoderProvider {
  /** The name to select this backend by. */
  public static final String NAME = "parquet-mr";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Encoder open(Schema schema, OutputStream out, EncoderOptions options) {
    return new ParquetMrEncoder(schema, out, options);
  }
}
