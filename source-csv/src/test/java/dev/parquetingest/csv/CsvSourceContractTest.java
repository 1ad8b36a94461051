package dev.parquetingest.csv;

import dev.parquetingest.spi.Source;
import dev.parquetingest.testing.SourceContractTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSV source keeps core's {@link SourceContractTest}, read from a file (inferred schema, ids as
 * int64) and from a stream.
 */
class CsvSourceContractTest {
  /** A header and one line per record: its id, then a quoted text with a comma. */
  static String csv(int records) {
    StringBuilder b = new StringBuilder("id,name\n");
    for (int i = 0; i < records; i++) {
      b.append(i).append(",\"n, ").append(i).append("\"\n");
    }
    return b.toString();
  }

  @Nested
  class FromAFile extends SourceContractTest {
    @TempDir Path dir;

    @Override
    protected Source newSource(int records) {
      try {
        Path file = Files.writeString(dir.resolve("ids.csv"), csv(records));
        return CsvSource.builder(file).build();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    protected boolean endless() {
      return false;
    }
  }

  @Nested
  class FromAStream extends SourceContractTest {
    @Override
    protected Source newSource(int records) {
      byte[] bytes = csv(records).getBytes(StandardCharsets.UTF_8);
      return CsvSource.builder("ids.csv", new ByteArrayInputStream(bytes)).build();
    }

    @Override
    protected boolean endless() {
      return false;
    }
  }
}
