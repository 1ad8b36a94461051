package dev.parquetingest.backend.arrow;

/**
 * Parquet's RLE/bit-packed hybrid encoding of small unsigned integers (definition levels,
 * dictionary ids) of a fixed bit width: a run of at least 8 equal values becomes an RLE run, the
 * rest is bit-packed in groups of 8 (at most 63 groups per header, as parquet-java writes them);
 * the last group is padded with zeros, which readers ignore since they know the value count.
 * Stateless.
 */
final class RleHybridEncoder {
  private static final int MAX_GROUPS_PER_RUN = 63;

  private RleHybridEncoder() {}

  /** Appends the encoding of {@code values[0..count)} to {@code out}. */
  static void encode(int[] values, int count, int bitWidth, ByteBuilder out) {
    int i = 0;
    int packedFrom = 0;
    while (i < count) {
      int x = values[i];
      int j = i + 1;
      while (j < count && values[j] == x) {
        j++;
      }
      int run = j - i;
      if (run >= 8) {
        int pad = (8 - ((i - packedFrom) & 7)) & 7;
        if (run - pad >= 8) {
          int runFrom = i + pad;
          if (runFrom > packedFrom) {
            bitPack(values, packedFrom, runFrom - packedFrom, bitWidth, out);
          }
          writeRun(out, j - runFrom, x, bitWidth);
          packedFrom = j;
        }
      }
      i = j;
    }
    if (packedFrom < count) {
      bitPack(values, packedFrom, count - packedFrom, bitWidth, out);
    }
  }

  /** Appends one RLE run of {@code count} times {@code value}. */
  static void writeRun(ByteBuilder out, int count, int value, int bitWidth) {
    out.writeUnsignedVarInt(((long) count) << 1);
    for (int b = 0; b < bitWidth; b += 8) {
      out.writeByte(value >>> b);
    }
  }

  /**
   * Bit-packs {@code count} values from {@code from}, padding the last group of 8 with zeros. The
   * values are gathered into a 64-bit accumulator that is stored eight bytes at a time (a group of
   * 8 values of width w is exactly w bytes, so a run of groups ends on a byte boundary).
   */
  private static void bitPack(int[] values, int from, int count, int bitWidth, ByteBuilder out) {
    int end = from + count;
    int groups = (count + 7) >>> 3;
    long mask = bitWidth == 32 ? 0xFFFFFFFFL : (1L << bitWidth) - 1;
    int index = from;
    while (groups > 0) {
      int g = Math.min(groups, MAX_GROUPS_PER_RUN);
      groups -= g;
      out.writeUnsignedVarInt(((long) g << 1) | 1);
      if (bitWidth == 0) {
        index += g * 8;
        continue;
      }
      out.ensure(g * bitWidth);
      int start = out.size();
      int last = Math.min(end, index + g * 8);
      long acc = 0;
      int bits = 0;
      for (; index < last; index++) {
        long v = values[index] & mask;
        acc |= v << bits;
        bits += bitWidth;
        if (bits >= 64) {
          out.putLong(acc);
          bits -= 64;
          // the bits of v that did not fit (none when it ended exactly at 64)
          acc = bits == 0 ? 0 : v >>> (bitWidth - bits);
        }
      }
      // the rest of the run's g * bitWidth bytes: the bits held, then the zero padding of the last
      // group (only there can index stop short of a whole group)
      for (int k = g * bitWidth - (out.size() - start); k > 0; k--) {
        out.put((int) acc);
        acc >>>= 8;
      }
    }
  }

  /** Bits needed for {@code maxValue}: 0 for 0, as parquet-java's {@code getWidthFromMaxInt}. */
  static int bitWidth(int maxValue) {
    return 32 - Integer.numberOfLeadingZeros(maxValue);
  }
}
