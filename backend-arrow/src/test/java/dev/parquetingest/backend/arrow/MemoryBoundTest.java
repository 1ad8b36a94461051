package dev.parquetingest.backend.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.testing.DuckDb;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Arrow allocator of a file holds one chunk of vectors, whatever the file size: its peak is the
 * same for 200K and 2M rows, and within what one chunk of these columns needs.
 */
class MemoryBoundTest {
  private static final Schema SCHEMA =
      Schema.builder()
          .required("id", ColumnType.int64())
          .optional("name", ColumnType.string())
          .optional("value", ColumnType.float64())
          .build();
  private static final int CHUNK = 10_000;

  @TempDir Path dir;

  @Test
  void allocatorPeakIsOneChunkWhateverTheFileSize() throws IOException {
    long small = peakFor(200_000);
    long large = peakFor(2_000_000);

    assertThat(large).isEqualTo(small);
    // one chunk: 8 (id) + 8 (value) + 4 (offset) + at most 12 (name) bytes a row, validity bits,
    // each buffer rounded up to a power of two: at most twice the raw size
    long oneChunk = CHUNK * (8 + 8 + 4 + 12 + 1L);
    assertThat(large).isPositive().isLessThanOrEqualTo(2 * oneChunk);
  }

  private long peakFor(int rows) throws IOException {
    Path file = dir.resolve(rows + ".parquet");
    MutableRow row = new MutableRow(SCHEMA);
    byte[] name = new byte[12];
    EncoderOptions options =
        EncoderOptions.builder()
            .property(ArrowEncoderProvider.CHUNK_ROWS_PROPERTY, Integer.toString(CHUNK))
            .build();
    long peak;
    long started = System.nanoTime();
    try (OutputStream out = Files.newOutputStream(file);
        ArrowEncoder encoder =
            (ArrowEncoder) new ArrowEncoderProvider().open(SCHEMA, out, options)) {
      for (int i = 0; i < rows; i++) {
        row.setLong(0, i);
        int n = 4 + i % 9;
        for (int k = 0; k < n; k++) {
          name[k] = (byte) ('a' + (i + k * 7) % 26);
        }
        if (i % 10 == 0) {
          row.setNull(1);
        } else {
          row.setBytes(1, name, 0, n);
        }
        row.setDouble(2, i * 0.25);
        encoder.write(row);
        if (i == rows / 2) {
          assertThat(encoder.allocatedBytes()).isLessThanOrEqualTo(encoder.peakAllocatedBytes());
        }
      }
      encoder.finish();
      assertThat(encoder.details())
          .containsEntry("arrow.chunk-rows", Integer.toString(CHUNK))
          .containsEntry("arrow.chunks", Integer.toString((rows + CHUNK - 1) / CHUNK));
      peak = encoder.peakAllocatedBytes();
      assertThat(encoder.details())
          .containsEntry("arrow.allocator.peak-bytes", Long.toString(peak));
    }
    long nanos = System.nanoTime() - started;
    System.out.printf(
        "arrow: %,d rows in %.2f s (%,.0f rows/s), allocator peak %,d bytes%n",
        rows, nanos / 1e9, rows / (nanos / 1e9), peak);
    assertThat(ArrowAllocators.allocatedBytes()).isZero();
    assertThat(ArrowAllocators.openChildren()).isZero();
    assertThat(DuckDb.count(file)).isEqualTo(rows);
    return peak;
  }
}
