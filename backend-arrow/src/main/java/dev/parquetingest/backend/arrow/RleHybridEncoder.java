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

  /**
   * Appends the encoding of {@code values[0..count)} to {@code out}. The values are read a group of
   * 8 at a time, as they will be packed: a group whose 8 values are equal starts an RLE run, which
   * takes every following equal value; any other group is bit-packed whole. Runs therefore start
   * only at a group boundary (counted from the end of the run before): a run of 8 to 14 equal
   * values that straddles two groups stays bit-packed, which costs a few bytes and saves a
   * comparison and a branch per value (most dictionary ids have no equal neighbour).
   */
  static void encode(int[] values, int count, int bitWidth, ByteBuilder out) {
    int packedFrom = 0;
    int i = 0;
    int lastGroup = count - 8;
    while (i <= lastGroup) {
      int x = values[i];
      int diff =
          (x ^ values[i + 1])
              | (x ^ values[i + 2])
              | (x ^ values[i + 3])
              | (x ^ values[i + 4])
              | (x ^ values[i + 5])
              | (x ^ values[i + 6])
              | (x ^ values[i + 7]);
      if (diff != 0) {
        i += 8;
        continue;
      }
      int j = i + 8;
      while (j < count && values[j] == x) {
        j++;
      }
      if (i > packedFrom) {
        bitPack(values, packedFrom, i - packedFrom, bitWidth, out);
      }
      writeRun(out, j - i, x, bitWidth);
      packedFrom = j;
      i = j;
    }
    if (packedFrom < count) {
      bitPack(values, packedFrom, count - packedFrom, bitWidth, out);
    }
  }

  /**
   * Appends the encoding of {@code count} values of bit width 1 held as bits, value {@code k} in
   * bit {@code k % 64} of {@code words[k / 64]} (definition levels: a page's validity bits), with
   * the runs {@link #encode} would find in the same values as ints: a group of 8 equal bits starts
   * an RLE run that takes every following equal bit (found a word at a time), any other group is
   * bit-packed as it is (at bit width 1 a group is one byte of the bits). {@code words} must hold
   * one word beyond the last value's; the bits above {@code count} are ignored.
   */
  static void encodeBits(long[] words, int count, ByteBuilder out) {
    int packedFrom = 0;
    int i = 0;
    while (i + 8 <= count) {
      int group = bits8(words, i);
      if (group != 0 && group != 0xFF) {
        i += 8;
        continue;
      }
      int bit = group & 1;
      int j = runEnd(words, i + 8, count, bit);
      if (i > packedFrom) {
        packBits(words, packedFrom, i - packedFrom, out);
      }
      writeRun(out, j - i, bit, 1);
      packedFrom = j;
      i = j;
    }
    if (packedFrom < count) {
      packBits(words, packedFrom, count - packedFrom, out);
    }
  }

  /** The 8 bits from bit {@code position} on, as the low bits of an int. */
  private static int bits8(long[] words, int position) {
    int w = position >>> 6;
    int shift = position & 63;
    long v = words[w] >>> shift;
    if (shift > 56) {
      v |= words[w + 1] << (64 - shift);
    }
    return (int) v & 0xFF;
  }

  /** The first position from {@code from} (below {@code count}) whose bit is not {@code bit}. */
  private static int runEnd(long[] words, int from, int count, int bit) {
    int p = from;
    while (p < count) {
      int shift = p & 63;
      long v = words[p >>> 6] >>> shift;
      long differ = bit == 1 ? ~v : v;
      if (shift != 0) {
        differ &= -1L >>> shift;
      }
      if (differ != 0) {
        return Math.min(count, p + Long.numberOfTrailingZeros(differ));
      }
      p += 64 - shift;
    }
    return count;
  }

  /** Bit-packs {@code count} bits from bit {@code from}, zero-padded to a whole group of 8. */
  private static void packBits(long[] words, int from, int count, ByteBuilder out) {
    int bytes = (count + 7) >>> 3;
    int done = 0;
    while (done < bytes) {
      int groups = Math.min(MAX_GROUPS_PER_RUN, bytes - done);
      out.writeUnsignedVarInt(((long) groups << 1) | 1);
      out.ensure(groups);
      for (int b = done, end = done + groups; b < end; b++) {
        int value = bits8(words, from + (b << 3));
        int left = count - (b << 3);
        if (left < 8) {
          value &= (1 << left) - 1;
        }
        out.put(value);
      }
      done += groups;
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
