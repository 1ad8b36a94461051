package dev.parquetingest.testing.cyclefixture.below;

import dev.parquetingest.testing.cyclefixture.Top;

/** The other half of the deliberate cycle: reaches back into the root package of the fixture. */
public final class Bottom {
  private Bottom() {}

  /** A dependency back up on the root package. */
  public static Bottom make() {
    return Top.class.getName().isEmpty() ? null : new Bottom();
  }
}
