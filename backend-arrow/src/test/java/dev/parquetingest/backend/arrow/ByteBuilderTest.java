package dev.parquetingest.backend.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ByteBuilderTest {
  private static final byte SENTINEL = 0x5A;

  /**
   * Every length from 0 to past the word-copy paths' 32 bytes, from every alignment, to several
   * destination offsets: the value's bytes arrive exactly, and no byte of the array outside the
   * value's range is written (the overlapping word copies stay inside it).
   */
  @Test
  void copyFromMemoryCopiesExactlyTheValuesBytes() {
    SplittableRandom random = new SplittableRandom(11);
    byte[] source = new byte[128];
    for (int i = 0; i < source.length; i++) {
      source[i] = (byte) random.nextInt(256);
    }
    try (NativeBytes memory = new NativeBytes(source.length)) {
      memory.put(0, source);
      for (int length = 0; length <= 70; length++) {
        for (int from = 0; from < 8; from++) {
          for (int at = 0; at < 10; at++) {
            byte[] dst = new byte[at + length + 3];
            Arrays.fill(dst, SENTINEL);
            ByteBuilder.copyFromMemory(memory.address(from), dst, at, length);

            byte[] expected = new byte[dst.length];
            Arrays.fill(expected, SENTINEL);
            System.arraycopy(source, from, expected, at, length);
            assertThat(dst)
                .as("length %d from offset %d to index %d", length, from, at)
                .isEqualTo(expected);
          }
        }
      }
    }
  }

  @Test
  void writeFromMemoryAppendsAfterWhatTheBufferHolds() {
    byte[] value =
        "a value of twenty-nine bytes.".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (NativeBytes memory = new NativeBytes(64)) {
      long address = memory.put(3, value);
      ByteBuilder out = new ByteBuilder(4);
      out.writeInt(value.length);
      out.writeFromMemory(address, value.length);
      out.writeFromMemory(address, 5);

      assertThat(out.size()).isEqualTo(4 + value.length + 5);
      byte[] bytes = Arrays.copyOf(out.array(), out.size());
      assertThat(Arrays.copyOfRange(bytes, 0, 4)).containsExactly(value.length, 0, 0, 0);
      assertThat(Arrays.copyOfRange(bytes, 4, 4 + value.length)).isEqualTo(value);
      assertThat(Arrays.copyOfRange(bytes, 4 + value.length, bytes.length))
          .isEqualTo(Arrays.copyOf(value, 5));
    }
  }
}
