package dev.parquetingest;

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
 * target.
 * Stateless, so thread-safe.
 */
final class DefaultBatcher implements Batcher {
  static final int CHECK_INTERVAL = 100;

  private final long targetBytes;
  private final long maxRows;
  private final long maxAgeNanos;

  DefaultBatcher(DataSize targetFileSize, long maxRows, Duration maxAge) {
    this.targetBytes = targetFileSize.toBytes();
    this.maxRows = maxRows;
    this.maxAgeNanos = maxAge == null ? Long.MAX_VALUE : maxAge.toNanos();
  }

  @Override
  public boolean shouldRoll(FileStats file) {
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
    return tooOld(file);
  }

  @Override
  public boolean shouldRollOnTimer(FileStats file) {
    return tooOld(file);
  }

  private boolean tooOld(FileStats file) {
    return maxAgeNanos != Long.MAX_VALUE && System.nanoTime() - file.openedNanos() >= maxAgeNanos;
  }
}
