package dev.parquetingest.backend.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.parquet.ParquetSchemas;
import dev.parquetingest.parquet.WriterProperties;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.EncoderOptions;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A file whose column writers come from the {@link WriterPool} (the buffers of an earlier file of
 * the same layout) writes the same bytes as a file with new writers; only cleanly finished files
 * give their writers back.
 */
class WriterPoolTest {
  private static final EncoderOptions OPTIONS =
      EncoderOptions.builder()
          .property(ArrowEncoderProvider.CHUNK_ROWS_PROPERTY, "700")
          .rowGroupSize(dev.parquetingest.common.DataSize.ofBytes(3L << 20))
          .build();
  private static final String LAYOUT =
      ColumnarParquetWriter.layout(
          ParquetSchemas.toMessageType(TestRows.EDGE_SCHEMA),
          WriterProperties.parquetProperties(OPTIONS),
          OPTIONS.dictionaryEnabled());

  @AfterEach
  void clearPool() {
    WriterPool.clear();
  }

  @Test
  void reusedWritersWriteTheBytesOfNewOnes() {
    WriterPool.clear();
    // the first file grows dictionaries (and falls back: 1 MB strings), several row groups
    write(9_000, 0, true);
    assertThat(WriterPool.idle(LAYOUT)).isEqualTo(1);

    byte[] reused = write(5_000, 11, true);
    assertThat(WriterPool.idle(LAYOUT)).isEqualTo(1);
    WriterPool.clear();
    byte[] fresh = write(5_000, 11, true);

    assertThat(reused).isNotEmpty().isEqualTo(fresh);
  }

  @Test
  void anAbandonedFileGivesNothingBack() {
    WriterPool.clear();
    write(3_000, 0, false);
    assertThat(WriterPool.idle(LAYOUT)).isZero();
    write(3_000, 0, true);
    assertThat(WriterPool.idle(LAYOUT)).isEqualTo(1);
  }

  @Test
  void aClosedWriterReportsNoMemoryOnceItsWritersAreReused() {
    WriterPool.clear();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Encoder first = new ArrowEncoderProvider().open(TestRows.EDGE_SCHEMA, out, OPTIONS);
    MutableRow row = new MutableRow(TestRows.EDGE_SCHEMA);
    for (int i = 0; i < 2_000; i++) {
      TestRows.edge(i, row);
      first.write(row);
    }
    first.finish();
    assertThat(first.memoryBytes()).isPositive();
    first.close();
    assertThat(first.memoryBytes()).isZero();
    assertThat(first.columnStats()).hasSize(TestRows.EDGE_SCHEMA.size());
  }

  private static byte[] write(int rows, int shift, boolean finish) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MutableRow row = new MutableRow(TestRows.EDGE_SCHEMA);
    try (Encoder encoder = new ArrowEncoderProvider().open(TestRows.EDGE_SCHEMA, out, OPTIONS)) {
      for (int i = 0; i < rows; i++) {
        TestRows.edge(i + shift, row);
        encoder.write(row);
      }
      if (finish) {
        encoder.finish();
      }
    }
    return out.toByteArray();
  }
}
