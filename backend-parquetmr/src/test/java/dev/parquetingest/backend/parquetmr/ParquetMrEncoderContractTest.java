package dev.parquetingest.backend.parquetmr;

import dev.parquetingest.internal.Encoders;
import dev.parquetingest.spi.EncoderProvider;
import dev.parquetingest.testing.EncoderContractTest;

class ParquetMrEncoderContractTest extends EncoderContractTest {
  @Override
  protected EncoderProvider provider() {
    return Encoders.find("parquet-mr");
  }
}
