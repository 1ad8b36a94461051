package dev.parquetingest.backend.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.internal.Encoders;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.spi.EncoderProvider;
import dev.parquetingest.testing.EncoderContractTest;

/**
 * The encoder contract on the arrow backend, with a chunk far smaller than the files so that every
 * file goes through many chunks (and a last, partial one); after every file no Arrow memory may be
 * left allocated.
 */
class ArrowEncoderContractTest extends EncoderContractTest {
  @Override
  protected EncoderProvider provider() {
    return Encoders.find("arrow");
  }

  @Override
  protected EncoderOptions.Builder options() {
    return EncoderOptions.builder().property(ArrowEncoderProvider.CHUNK_ROWS_PROPERTY, "777");
  }

  @Override
  protected void afterFile() {
    assertThat(ArrowAllocators.allocatedBytes()).as("Arrow bytes left allocated").isZero();
    assertThat(ArrowAllocators.openChildren()).as("Arrow allocators left open").isZero();
  }
}
