package dev.parquetingest.testing;

import dev.parquetingest.Sinks;
import dev.parquetingest.spi.Sink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The local directory sink keeps the sink contract. */
class LocalDirectorySinkContractTest extends SinkContractTest {
  @TempDir Path dir;

  @Override
  protected Sink newSink() {
    return Sinks.localDirectory(dir);
  }

  @Override
  protected byte[] committed(Sink sink, String name) throws IOException {
    Path file = dir.resolve(name);
    return Files.exists(file) ? Files.readAllBytes(file) : null;
  }
}
