package dev.parquetingest.backend.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarBinaryVector;
import org.junit.jupiter.api.Test;

/**
 * The word-at-a-time paths for short byte values (up to 16 bytes: two overlapping 4- or 8-byte
 * words) in the string dictionary ({@link BytesDictionary#equal}, {@link BytesDictionary#hash}) and
 * in the copy into the Arrow vector ({@code ChunkColumn}), against plain oracles: a {@link HashMap}
 * keyed by the bytes for the dictionary's ids, Arrow's own getter for the vector's content. Values
 * of every length from 0 to 40 and at offsets that are not word-aligned, many differing from
 * another value in one byte only (at each position), so that a word that skips a byte would be
 * caught.
 */
class ShortValuePathsTest {
  @Test
  void dictionaryIdsAreThoseOfAMapKeyedByTheBytes() {
    SplittableRandom random = new SplittableRandom(5);
    List<byte[]> distinct = new ArrayList<>();
    for (int length = 0; length <= 40; length++) {
      byte[] base = randomBytes(random, length);
      distinct.add(base);
      for (int at = 0; at < length; at++) {
        byte[] other = base.clone();
        other[at] ^= (byte) (1 << random.nextInt(8));
        distinct.add(other);
      }
    }
    BytesDictionary dictionary = new BytesDictionary();
    Map<ByteBuffer, Integer> oracle = new HashMap<>();
    byte[] noise = new byte[64];
    try (NativeBytes buffer = new NativeBytes(64)) {
      for (int k = 0; k < 20_000; k++) {
        byte[] value = distinct.get(random.nextInt(distinct.size()));
        int offset = random.nextInt(3, 20); // unaligned, and with other bytes around the value
        for (int i = 0; i < noise.length; i++) {
          noise[i] = (byte) random.nextInt();
        }
        buffer.put(0, noise);
        long address = buffer.put(offset, value);
        int id = dictionary.add(address, value.length, BytesDictionary.hash(address, value.length));
        Integer expected = oracle.computeIfAbsent(ByteBuffer.wrap(value), v -> oracle.size());
        assertThat(id).as("id of a value of %d bytes", value.length).isEqualTo(expected);
        assertThat(dictionary.length(id)).isEqualTo(value.length);
        assertThat(
                java.util.Arrays.copyOfRange(
                    dictionary.arena(),
                    dictionary.offset(id),
                    dictionary.offset(id) + dictionary.length(id)))
            .isEqualTo(value);
      }
    }
    assertThat(dictionary.size()).isEqualTo(oracle.size());
  }

  @Test
  void equalHashesForEqualBytesAtAnyOffset() {
    SplittableRandom random = new SplittableRandom(7);
    try (NativeBytes memory = new NativeBytes(256)) {
      for (int length = 0; length <= 40; length++) {
        byte[] value = randomBytes(random, length);
        byte[] a = new byte[length + 9];
        System.arraycopy(value, 0, a, 1, length);
        memory.put(0, randomBytes(random, 256));
        long inA = memory.put(1, value);
        long inB = memory.put(128 + 8, value);
        assertThat(BytesDictionary.hash(inA, length))
            .as("length %d", length)
            .isEqualTo(BytesDictionary.hash(inB, length));
        assertThat(BytesDictionary.equal(a, 1, inB, length)).isTrue();
        byte[] b = value.clone();
        for (int at = 0; at < length; at++) {
          b[at] ^= 1;
          long changed = memory.put(128 + 8, b);
          assertThat(BytesDictionary.equal(a, 1, changed, length))
              .as("length %d, byte %d differs", length, at)
              .isFalse();
          assertThat(BytesDictionary.hash(changed, length))
              .as("length %d, byte %d differs", length, at)
              .isNotEqualTo(BytesDictionary.hash(inA, length));
          b[at] ^= 1;
        }
      }
    }
  }

  /**
   * A value of up to 8 bytes read as one word and masked is the value assembled byte by byte,
   * whatever bytes follow it, and its hash is the one {@link BytesDictionary#hash} gives.
   */
  @Test
  void shortKeysMaskTheBytesAfterTheValue() {
    SplittableRandom random = new SplittableRandom(13);
    try (NativeBytes memory = new NativeBytes(64)) {
      for (int trial = 0; trial < 200; trial++) {
        memory.put(0, randomBytes(random, 64));
        for (int length = 0; length <= 8; length++) {
          long address = memory.address(trial % 40);
          long key = BytesDictionary.shortKey(address, length);
          assertThat(key).isEqualTo(BytesDictionary.shortKeyByBytes(address, length));
          assertThat(Long.numberOfLeadingZeros(key)).isGreaterThanOrEqualTo(64 - 8 * length);
          assertThat(BytesDictionary.shortHash(key, length))
              .isEqualTo(BytesDictionary.hash(address, length));
        }
      }
      assertThat(BytesDictionary.mask(0)).isZero();
      assertThat(BytesDictionary.mask(1)).isEqualTo(0xFFL);
      assertThat(BytesDictionary.mask(8)).isEqualTo(-1L);
    }
  }

  @Test
  void bytesOfEveryLengthReachTheVectorIntact() {
    Schema schema = Schema.builder().optional("v", ColumnType.binary()).build();
    SplittableRandom random = new SplittableRandom(9);
    List<byte[]> values = new ArrayList<>();
    try (BufferAllocator allocator = new RootAllocator();
        ChunkColumn column = ChunkColumn.of(schema.field(0), allocator, 500)) {
      MutableRow row = new MutableRow(schema);
      byte[] source = new byte[80];
      for (int i = 0; i < 500; i++) {
        int length = i % 41;
        int offset = random.nextInt(0, 80 - length);
        for (int k = 0; k < source.length; k++) {
          source[k] = (byte) random.nextInt();
        }
        row.clear();
        if (i % 17 == 3) {
          row.setNull(0);
          values.add(null);
        } else {
          row.setBytes(0, source, offset, length);
          values.add(java.util.Arrays.copyOfRange(source, offset, offset + length));
        }
        column.append(row, 0, i);
      }
      column.seal(500);
      VarBinaryVector vector = (VarBinaryVector) column.vector;
      for (int i = 0; i < 500; i++) {
        assertThat(vector.get(i)).as("row %d", i).isEqualTo(values.get(i));
      }
    }
  }

  private static byte[] randomBytes(SplittableRandom random, int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) random.nextInt();
    }
    return b;
  }
}
