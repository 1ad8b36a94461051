package dev.parquetingest.spi;

import dev.parquetingest.schema.Schema;
import java.io.OutputStream;

/**
 * A Parquet encoder backend, found with {@link java.util.ServiceLoader} by its {@link #name()}.
 * Register an implementation in {@code META-INF/services/dev.parquetingest.spi.EncoderProvider}.
 * Implementations are stateless and thread-safe.
 */
public interface EncoderProvider {
  /** The name users select it by, e.g. {@code parquet-mr}. */
  String name();

  /**
   * Checks that this backend can run here (native libraries, JVM flags), so that a run fails before
   * it reads anything.
   *
   * @throws dev.parquetingest.common.IngestException naming what is missing and how to fix it
   */
  default void checkUsable(EncoderOptions options) {}

  /** Starts a file with {@code schema} on {@code out}, which the encoder must not close. */
  Encoder open(Schema schema, OutputStream out, EncoderOptions options);
}
