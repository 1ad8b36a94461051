package dev.parquetingest.testing.cyclefixture;

import dev.parquetingest.testing.cyclefixture.below.Bottom;

/**
 * Half of a deliberate package cycle: proves ArchitectureTest's cycle rule counts a root package.
 */
public final class Top {
  private Top() {}

  /** Depends on the package below. */
  public static Bottom bottom() {
    return Bottom.make();
  }
}
