package dev.parquetingest.backend.arrow;

import static dev.parquetingest.backend.arrow.ArrowEncoderProvider.ALLOCATOR_PROPERTY;
import static dev.parquetingest.backend.arrow.ArrowEncoderProvider.CHUNK_ROWS_PROPERTY;
import static dev.parquetingest.backend.arrow.ArrowEncoderProvider.MAX_CHUNK_ROWS;
import static dev.parquetingest.backend.arrow.ArrowEncoderProvider.MEMORY_LIMIT_PROPERTY;

import dev.parquetingest.common.DataSize;
import dev.parquetingest.spi.EncoderOptions;

/** The {@code arrow.*} properties of {@link EncoderOptions}, parsed and checked. Immutable. */
final class ArrowSettings {
  final int chunkRows;
  final AllocatorKind allocator;

  /** Bytes one file's allocator may hold; {@link Long#MAX_VALUE} for no limit. */
  final long memoryLimit;

  private ArrowSettings(int chunkRows, AllocatorKind allocator, long memoryLimit) {
    this.chunkRows = chunkRows;
    this.allocator = allocator;
    this.memoryLimit = memoryLimit;
  }

  /**
   * @throws IllegalArgumentException naming the property and the value that is not valid
   */
  static ArrowSettings of(EncoderOptions options) {
    String rowsText =
        options.property(
            CHUNK_ROWS_PROPERTY, Integer.toString(ArrowEncoderProvider.DEFAULT_CHUNK_ROWS));
    int rows;
    try {
      rows = Integer.parseInt(rowsText.trim());
    } catch (NumberFormatException e) {
      rows = -1;
    }
    if (rows < 1 || rows > MAX_CHUNK_ROWS) {
      throw new IllegalArgumentException(
          "Invalid "
              + CHUNK_ROWS_PROPERTY
              + " '"
              + rowsText
              + "': expected a whole number from 1 to "
              + MAX_CHUNK_ROWS);
    }
    AllocatorKind kind =
        AllocatorKind.parse(
            options.property(ALLOCATOR_PROPERTY, ArrowEncoderProvider.DEFAULT_ALLOCATOR));
    String limitText = options.property(MEMORY_LIMIT_PROPERTY, null);
    long limit = Long.MAX_VALUE;
    if (limitText != null) {
      try {
        limit = DataSize.parse(limitText).toBytes();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Invalid "
                + MEMORY_LIMIT_PROPERTY
                + " '"
                + limitText
                + "': expected a size, e.g. 256MB",
            e);
      }
      if (limit < 1024) {
        throw new IllegalArgumentException(
            "Invalid " + MEMORY_LIMIT_PROPERTY + " '" + limitText + "': must be at least 1KB");
      }
    }
    return new ArrowSettings(rows, kind, limit);
  }

  /** The limit as shown in the run report: a size, or {@code none}. */
  String describeLimit() {
    return memoryLimit == Long.MAX_VALUE ? "none" : DataSize.ofBytes(memoryLimit).toString();
  }
}
