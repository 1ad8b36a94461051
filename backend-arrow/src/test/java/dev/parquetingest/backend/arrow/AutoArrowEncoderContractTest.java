package dev.parquetingest.backend.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.internal.Encoders;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.spi.EncoderProvider;
import dev.parquetingest.testing.EncoderContractTest;

/**
 * The encoder contract on the {@code auto} backend for files expected to be large, where it chooses
 * {@code arrow}; no Arrow memory may be left allocated after any file.
 */
class AutoArrowEncoderContractTest extends EncoderContractTest {
  @Override
  protected EncoderProvider provider() {
    return Encoders.find(AutoEncoderProvider.NAME);
  }

  @Override
  protected EncoderOptions.Builder options() {
    return EncoderOptions.builder()
        .expectedRowsPerFile(Math.max(1, AutoEncoderProvider.ARROW_FROM_ROWS))
        .property(ArrowEncoderProvider.CHUNK_ROWS_PROPERTY, "777");
  }

  @Override
  protected void afterFile() {
    assertThat(ArrowAllocators.allocatedBytes()).as("Arrow bytes left allocated").isZero();
    assertThat(ArrowAllocators.openChildren()).as("Arrow allocators left open").isZero();
  }
}
