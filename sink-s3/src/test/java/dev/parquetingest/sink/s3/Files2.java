package dev.parquetingest.sink.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Temporary directories for tests that cannot take a {@code @TempDir} per invocation. */
final class Files2 {
  private Files2() {}

  /** A new directory, removed when the JVM exits. */
  static Path tempDir() {
    try {
      Path dir = Files.createTempDirectory("s3-sink-test");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
