package dev.parquetingest.backend.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.internal.Encoders;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.EncoderProvider;
import dev.parquetingest.testing.EncoderContractTest;
import java.io.OutputStream;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

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

  /** Not only the abstract methods: a default left to {@link Encoder} would hide the backend's. */
  @Test
  void theWrapperOverridesEveryEncoderMethod() throws NoSuchMethodException {
    try (Encoder encoder =
        provider().open(ALL_TYPES, OutputStream.nullOutputStream(), options().build())) {
      for (Method m : Encoder.class.getMethods()) {
        assertThat(encoder.getClass().getDeclaredMethod(m.getName(), m.getParameterTypes()))
            .as("%s overrides %s", encoder.getClass().getSimpleName(), m.getName())
            .isNotNull();
      }
    }
  }
}
