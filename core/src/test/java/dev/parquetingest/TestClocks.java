package dev.parquetingest;

import dev.parquetingest.runtime.Clock;

/** Gives tests in other packages the builder's package-private clock option. */
public final class TestClocks {
  private TestClocks() {}

  public static ParquetIngestBuilder withClock(ParquetIngestBuilder builder, Clock clock) {
    return builder.clock(clock);
  }
}
