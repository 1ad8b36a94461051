package dev.parquetingest.runtime;

import dev.parquetingest.common.DataSize;
import dev.parquetingest.spi.Batcher;
import dev.parquetingest.spi.FileStats;
import java.time.Duration;

/**
 * Rolls on row count (exact), on size and on age. Size and age are checked every {@value
 * #CHECK_INTERVAL} rows, since asking an encoder for its buffered bytes walks its columns; age is
 * also checked by the runtime's timer, so a file rolls on age when no row arrives. Size is the
 * encoder's estimate of the finished file ({@link FileStats#estimatedBytes()}): by default
 * compressed bytes written plus bytes still buffered, an upper bound; the parquet-mr backend
 * estimates how its buffered values will compress, which keeps files within a few percent of the
 * target. Age is measured on the time the runtime passes in (its clock). Stateless, so thread-safe.
 */
public final class DefaultBatcher implements Batcher {
  static final int CHECK_INTERVAL = 100;

  private final long targetBytes;
  private final long maxRows;
  private final long maxAgeNanos;

  /**
   * @param maxAge null for no age limit
   */
  public DefaultBatcher(DataSize targetFileSize, long maxRows, Duration maxAge) {
    this.targetBytes = targetFileSize.toBytes();
    this.maxRows = maxRows;
    this.maxAgeNanos = maxAge == null ? Long.MAX_VALUE : maxAge.toNanos();
  }

  @Override
  public boolean shouldRoll(FileStats file) {
    return shouldRoll(file, System.nanoTime());
  }

  @Override
  public boolean shouldRoll(FileStats file, long nowNanos) {
    long rows = file.rows();
    if (rows >= maxRows) {
      return true;
    }
    if (rows % CHECK_INTERVAL != 0) {
      return false;
    }
    if (file.estimatedBytes() >= targetBytes) {
      return true;
    }
    return tooOld(file, nowNanos);
  }

  @Override
  public boolean shouldRollOnTimer(FileStats file) {
    return shouldRollOnTimer(file, System.nanoTime());
  }

  @Override
  public boolean shouldRollOnTimer(FileStats file, long nowNanos) {
    return tooOld(file, nowNanos);
  }

  private boolean tooOld(FileStats file, long nowNanos) {
    return maxAgeNanos != Long.MAX_VALUE && nowNanos - file.openedNanos() >= maxAgeNanos;
  }
}
