package dev.parquetingest.backend.arrow;

import dev.parquetingest.internal.Encoders;
import dev.parquetingest.spi.EncoderProvider;
import dev.parquetingest.testing.EncoderContractTest;

/**
 * The encoder contract on the {@code auto} backend for files of unknown size, where it chooses
 * {@code parquet-mr}: everything the chosen encoder does must come through {@code auto}'s wrapper,
 * its size estimate included.
 */
class AutoEncoderContractTest extends EncoderContractTest {
  @Override
  protected EncoderProvider provider() {
    return Encoders.find(AutoEncoderProvider.NAME);
  }
}
