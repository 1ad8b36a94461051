package dev.parquetingest.backend.arrow;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.internal.Encoders;
import dev.parquetingest.spi.EncoderOptions;

/**
 * Run in a child JVM by {@link ArrowEncoderProviderTest}: asks the arrow provider whether it is
 * usable here. Prints {@code usable} and exits 0, or prints the message and exits 3.
 */
final class CheckUsableProbe {
  private CheckUsableProbe() {}

  public static void main(String[] args) {
    try {
      Encoders.find("arrow").checkUsable(EncoderOptions.defaults());
      System.out.println("usable");
    } catch (IngestException e) {
      System.out.println(e.getMessage());
      System.exit(3);
    }
  }
}
