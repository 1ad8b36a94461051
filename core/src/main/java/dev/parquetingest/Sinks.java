package dev.parquetingest;

import dev.parquetingest.internal.LocalDirectorySink;
import dev.parquetingest.spi.Sink;
import java.nio.file.Path;

/** Factories for the sinks that ship with core. */
public final class Sinks {
  private Sinks() {}

  /**
   * A local directory (created if missing). Files appear only when complete: written under a hidden
   * temporary name, forced to disk, then given their final name atomically. An existing file is
   * never overwritten: the commit fails instead.
   */
  public static Sink localDirectory(Path directory) {
    return new LocalDirectorySink(directory);
  }
}
