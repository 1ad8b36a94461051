package dev.parquetingest.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedFileInputStreamTest {
  @TempDir Path dir;

  @Test
  void readsTheFileFromThePositionGivenThroughReadsOfAnySize() throws IOException {
    byte[] data = new byte[300_000];
    new Random(1).nextBytes(data);
    Path file = Files.write(dir.resolve("f"), data);
    Random r = new Random(2);
    for (int start : new int[] {0, 1, 4095, 299_999, 300_000}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (MappedFileInputStream in =
          new MappedFileInputStream(FileChannel.open(file, StandardOpenOption.READ), start)) {
        byte[] b = new byte[70_000];
        int n;
        while ((n = in.read(b, 3, 1 + r.nextInt(b.length - 3))) >= 0) {
          out.write(b, 3, n);
        }
        assertThat(in.read()).isEqualTo(-1);
      }
      assertThat(out.toByteArray()).as("from %d", start).isEqualTo(copyOfRange(data, start));
    }
  }

  private static byte[] copyOfRange(byte[] data, int from) {
    return java.util.Arrays.copyOfRange(data, from, data.length);
  }
}
