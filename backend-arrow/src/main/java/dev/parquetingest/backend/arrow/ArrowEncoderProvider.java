package dev.parquetingest.backend.arrow;

import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.spi.EncoderProvider;
import java.io.OutputStream;

/**
 * The {@code arrow} backend: rows are appended into Arrow vectors, and each full chunk of rows is
 * encoded column by column by this backend's own Parquet writer ({@link ColumnarParquetWriter}) and
 * then its vectors are reset, so the memory an open file holds is one chunk of vectors plus the
 * dictionaries and the row group's compressed pages, whatever the file size. The Parquet settings
 * (properties, ZSTD codec, schema mapping, page, dictionary and row-group rules) are those of
 * {@code parquet-mr}: the same rows give the same content (rows, statistics, footer metadata), not
 * the same bytes.
 *
 * <p>Settings, through {@link EncoderOptions#property}:
 *
 * <ul>
 *   <li>{@value #CHUNK_ROWS_PROPERTY}: rows per chunk, default {@value #DEFAULT_CHUNK_ROWS}. Larger
 *       chunks hold more off-heap memory per open file; smaller ones are encoded more often. The
 *       output does not depend on it.
 *   <li>{@value #ALLOCATOR_PROPERTY}: {@code netty} (default) or {@code unsafe}, Arrow's allocation
 *       manager. Netty pools direct memory and counts it against {@code -XX:MaxDirectMemorySize};
 *       Unsafe allocates outside any JVM limit.
 *   <li>{@value #MEMORY_LIMIT_PROPERTY}: the most off-heap memory one open file may hold, e.g.
 *       {@code 64MB}; unset means no limit of ours. A chunk that needs more fails the file.
 * </ul>
 *
 * <p>The JVM must run with {@code --add-opens=java.base/java.nio=ALL-UNNAMED}; {@link #checkUsable}
 * and {@link #open} fail with a message naming the flag when it is missing.
 *
 * <p>Stateless and thread-safe; the encoders it opens are not thread-safe.
 */
public final class ArrowEncoderProvider implements EncoderProvider {
  /** The name to select this backend by. */
  public static final String NAME = "arrow";

  /** Property: rows appended to the vectors before they are written out. */
  public static final String CHUNK_ROWS_PROPERTY = "arrow.chunk-rows";

  /** Property: {@code netty} or {@code unsafe}. */
  public static final String ALLOCATOR_PROPERTY = "arrow.allocator";

  /** Property: the most off-heap memory one open file may hold, e.g. {@code 64MB}. */
  public static final String MEMORY_LIMIT_PROPERTY = "arrow.memory-limit";

  /** Rows per chunk unless set: large enough to amortise a chunk, small enough to stay in cache. */
  public static final int DEFAULT_CHUNK_ROWS = 10_000;

  /** The largest chunk accepted, to keep vector offsets and sizes far from their int limits. */
  public static final int MAX_CHUNK_ROWS = 1_000_000;

  /** Allocation manager unless set. */
  public static final String DEFAULT_ALLOCATOR = "netty";

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Checks the JVM flag Arrow needs and the {@code arrow.*} properties.
   *
   * @throws dev.parquetingest.common.IngestException naming the missing JVM flag
   * @throws IllegalArgumentException naming a property whose value is not valid
   */
  @Override
  public void checkUsable(EncoderOptions options) {
    JvmAccess.check();
    ArrowSettings.of(options);
  }

  @Override
  public Encoder open(Schema schema, OutputStream out, EncoderOptions options) {
    JvmAccess.check();
    return new ArrowEncoder(schema, out, options, ArrowSettings.of(options));
  }
}
