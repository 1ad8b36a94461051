package dev.parquetingest.jmh;

import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.spi.EncoderProvider;

/** The operation every benchmark measures: one Parquet file written from an in-memory table. */
final class FileWriting {
  private FileWriting() {}

  /**
   * Opens an encoder on {@code out}, writes the first {@code rows} rows of {@code table}, finishes
   * and closes it, and records its Arrow allocator peak in {@link ArrowPeak}.
   *
   * @return the bytes of the file, so that the work cannot be optimised away
   */
  static long write(
      EncoderProvider provider,
      EncoderOptions options,
      InputTable table,
      int rows,
      CountingNullOutputStream out) {
    Schema schema = table.schema();
    InputTable.Cursor cursor = table.cursor();
    try (Encoder encoder = provider.open(schema, out, options)) {
      for (int r = 0; r < rows; r++) {
        encoder.write(cursor.moveTo(r));
      }
      encoder.finish();
      ArrowPeak.record(encoder);
      return encoder.bytesWritten();
    }
  }
}
