package dev.parquetingest.backend.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.values.bitpacking.BytePacker;
import org.apache.parquet.column.values.bitpacking.Packer;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.junit.jupiter.api.Test;

/** Our RLE/bit-packed hybrid encoder, decoded by parquet-java's decoder as the oracle. */
class RleHybridEncoderTest {
  @Test
  void parquetJavaDecodesEveryWidthAndRunShape() throws IOException {
    SplittableRandom random = new SplittableRandom(11);
    for (int bitWidth = 0; bitWidth <= 32; bitWidth++) {
      for (int shape = 0; shape < 6; shape++) {
        int count = random.nextInt(1, 3_000);
        int[] values = new int[count];
        long max = bitWidth == 0 ? 1 : 1L << bitWidth;
        int i = 0;
        while (i < count) {
          int v = (int) random.nextLong(max);
          // shapes: all random, long runs, runs of exactly 7/8/9, one value, alternating
          int run =
              shape == 0
                  ? 1
                  : shape == 1
                      ? random.nextInt(1, 200)
                      : shape == 2
                          ? 7 + random.nextInt(3)
                          : shape == 3
                              ? count
                              : shape == 4 ? (i % 2 == 0 ? 1 : 12) : random.nextInt(1, 20);
          for (int k = 0; k < run && i < count; k++) {
            values[i++] = v;
          }
        }
        ByteBuilder out = new ByteBuilder(16);
        RleHybridEncoder.encode(values, count, bitWidth, out);
        RunLengthBitPackingHybridDecoder decoder =
            new RunLengthBitPackingHybridDecoder(
                bitWidth, new ByteArrayInputStream(out.array(), 0, out.size()));
        for (int k = 0; k < count; k++) {
          assertThat(decoder.readInt())
              .as("width %d shape %d value %d", bitWidth, shape, k)
              .isEqualTo(values[k]);
        }
      }
    }
  }

  @Test
  void aPageWithoutNullsIsOneRun() throws IOException {
    ByteBuilder out = new ByteBuilder(16);
    int[] ones = new int[20_000];
    java.util.Arrays.fill(ones, 1);
    RleHybridEncoder.encode(ones, ones.length, 1, out);
    assertThat(out.size()).isEqualTo(4); // varint(20000 << 1) takes 3 bytes, the value 1
    RunLengthBitPackingHybridDecoder decoder =
        new RunLengthBitPackingHybridDecoder(
            1, new ByteArrayInputStream(out.array(), 0, out.size()));
    for (int k = 0; k < ones.length; k++) {
      assertThat(decoder.readInt()).isEqualTo(1);
    }
  }

  /**
   * Values without any two equal neighbours are all bit-packed: the bytes must be parquet-java's
   * own packer's ({@code BytePacker.pack8Values}, little-endian) group by group, at most 63 groups
   * per header, the last group padded with zeros. Checks the 64-bit accumulator of the bulk packer
   * at every width, including the widths whose groups straddle 8-byte words.
   */
  @Test
  void bitPackedBytesAreParquetJavasPackerBytes() throws IOException {
    SplittableRandom random = new SplittableRandom(29);
    for (int bitWidth = 1; bitWidth <= 32; bitWidth++) {
      for (int count : new int[] {1, 7, 8, 9, 63 * 8, 63 * 8 + 1, 1_001, 4_096}) {
        long max = 1L << bitWidth;
        int[] values = new int[count];
        for (int i = 0; i < count; i++) {
          int v;
          do {
            v = (int) random.nextLong(max);
          } while (i > 0 && v == values[i - 1]);
          values[i] = v;
        }
        ByteBuilder out = new ByteBuilder(16);
        RleHybridEncoder.encode(values, count, bitWidth, out);

        BytePacker packer = Packer.LITTLE_ENDIAN.newBytePacker(bitWidth);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        int groups = (count + 7) / 8;
        int[] padded = java.util.Arrays.copyOf(values, groups * 8);
        for (int g = 0; g < groups; g += 63) {
          int n = Math.min(63, groups - g);
          BytesUtils.writeUnsignedVarInt((n << 1) | 1, expected);
          byte[] packed = new byte[bitWidth];
          for (int k = g; k < g + n; k++) {
            packer.pack8Values(padded, k * 8, packed, 0);
            expected.write(packed);
          }
        }
        assertThat(java.util.Arrays.copyOf(out.array(), out.size()))
            .as("width %d, %d values", bitWidth, count)
            .isEqualTo(expected.toByteArray());
      }
    }
  }

  /**
   * Levels held as bits give exactly the bytes of the same levels held as ints, for every run shape
   * around the group and word boundaries (runs of 1 to 200, runs of exactly 7, 8, 9, 63, 64, 65,
   * all ones, all zeros, counts that end inside a group and inside a word), and parquet-java
   * decodes them.
   */
  @Test
  void levelsAsBitsEncodeAsTheSameLevelsAsInts() throws IOException {
    SplittableRandom random = new SplittableRandom(41);
    int[] fixedRuns = {1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 127, 128, 129};
    for (int trial = 0; trial < 400; trial++) {
      int count = trial < 10 ? 1 + trial : random.nextInt(1, 5_000);
      int[] values = new int[count];
      int shape = trial % 5;
      int i = 0;
      int v = random.nextInt(2);
      while (i < count) {
        int run =
            shape == 0
                ? random.nextInt(1, 4)
                : shape == 1
                    ? random.nextInt(1, 200)
                    : shape == 2 ? fixedRuns[random.nextInt(fixedRuns.length)] : count;
        if (shape == 4) {
          v = random.nextInt(2);
          run = 1;
        }
        for (int k = 0; k < run && i < count; k++) {
          values[i++] = v;
        }
        v ^= 1;
      }
      long[] words = new long[(count >>> 6) + 2];
      for (int k = 0; k < count; k++) {
        words[k >>> 6] |= (long) values[k] << (k & 63);
      }
      // bits above count must not matter
      words[words.length - 1] = -1L;
      if ((count & 63) != 0) {
        words[count >>> 6] |= -1L << (count & 63);
      }
      ByteBuilder asInts = new ByteBuilder(16);
      RleHybridEncoder.encode(values, count, 1, asInts);
      ByteBuilder asBits = new ByteBuilder(16);
      RleHybridEncoder.encodeBits(words, count, asBits);
      assertThat(java.util.Arrays.copyOf(asBits.array(), asBits.size()))
          .as("trial %d, shape %d, %d values", trial, shape, count)
          .isEqualTo(java.util.Arrays.copyOf(asInts.array(), asInts.size()));
      RunLengthBitPackingHybridDecoder decoder =
          new RunLengthBitPackingHybridDecoder(
              1, new ByteArrayInputStream(asBits.array(), 0, asBits.size()));
      for (int k = 0; k < count; k++) {
        assertThat(decoder.readInt()).as("trial %d value %d", trial, k).isEqualTo(values[k]);
      }
    }
  }
}
