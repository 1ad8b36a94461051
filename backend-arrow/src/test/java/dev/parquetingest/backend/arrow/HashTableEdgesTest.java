package dev.parquetingest.backend.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The edges of the hash tables and bit gathering that per-value speed relies on, against plain
 * oracles ({@link HashMap}s, Arrow's getters): colliding hashes (the table then finds values by
 * their bytes alone), growth over many doublings (entries move by their kept hashes), reuse after
 * {@link BytesDictionary#clear}, and validity/boolean bits gathered in heap words for chunk sizes
 * around the word and byte boundaries.
 */
class HashTableEdgesTest {
  /** Every value given the same hash: each lookup walks a cluster and must compare bytes. */
  @Test
  void bytesDictionaryFindsValuesWhoseHashesAllCollide() {
    checkBytesDictionary(3_000, h -> 42);
  }

  /**
   * Hashes that differ only above the table's index bits: all land in one cluster until the table
   * has grown past them, then spread; ids must survive every move.
   */
  @Test
  void bytesDictionaryKeepsIdsWhenCollidingEntriesMoveOnGrowth() {
    checkBytesDictionary(5_000, h -> h << 16);
  }

  @Test
  void bytesDictionaryKeepsIdsOverManyDoublingsAndAfterClear() {
    checkBytesDictionary(200_000, h -> h);
  }

  /**
   * The slot is the hash's low bits, so those must depend on every byte: values that share their
   * first bytes and differ in a few later ones (host names, numbered services and threads) must
   * spread over about as many slots as random hashes would (3,200 in 8,192 slots: about 2,650
   * distinct; 20 in 128: about 19; 64 in 256: about 56). A hash whose low bits followed only the
   * first bytes put the 3,200 host names of the logs data set into 39 slots and made a lookup walk
   * about 60 slots.
   */
  @Test
  void hashLowBitsSpreadValuesThatDifferLate() {
    List<String> hosts = new ArrayList<>();
    for (int x = 0; x < 16; x++) {
      for (int y = 0; y < 200; y++) {
        hosts.add("ip-10-0-" + x + "-" + y);
      }
    }
    assertThat(slotsUsed(hosts, 8191)).isGreaterThan(2_400);
    List<String> services = new ArrayList<>();
    List<String> threads = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      if (i < 20) {
        services.add("svc-" + i);
      }
      threads.add("http-nio-8080-exec-" + i);
    }
    assertThat(slotsUsed(services, 127)).isGreaterThanOrEqualTo(15);
    assertThat(slotsUsed(threads, 255)).isGreaterThanOrEqualTo(48);
  }

  private static int slotsUsed(List<String> values, int mask) {
    java.util.Set<Integer> slots = new java.util.HashSet<>();
    try (NativeBytes memory = new NativeBytes(256)) {
      for (String v : values) {
        byte[] b = v.getBytes(StandardCharsets.US_ASCII);
        slots.add(BytesDictionary.hash(memory.put(0, b), b.length) & mask);
      }
    }
    return slots.size();
  }

  private interface HashChange {
    int apply(int hash);
  }

  private static void checkBytesDictionary(int distinct, HashChange change) {
    SplittableRandom random = new SplittableRandom(distinct);
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < distinct; i++) {
      // lengths 0 to 40, and same-length values differing in one byte
      String s = Integer.toString(i, 7);
      byte[] v = (s + "-".repeat(i % 33)).getBytes(StandardCharsets.US_ASCII);
      values.add(v);
    }
    BytesDictionary dictionary = new BytesDictionary();
    for (int round = 0; round < 2; round++) {
      Map<ByteBuffer, Integer> oracle = new HashMap<>();
      try (NativeBytes buffer = new NativeBytes(64)) {
        for (int k = 0; k < distinct * 3; k++) {
          byte[] value = k < distinct ? values.get(k) : values.get(random.nextInt(distinct));
          int offset = random.nextInt(1, 16);
          long address = buffer.put(offset, value);
          buffer.setByte(offset + value.length, random.nextInt());
          int hash = change.apply(BytesDictionary.hash(address, value.length));
          int id = dictionary.add(address, value.length, hash);
          Integer expected = oracle.computeIfAbsent(ByteBuffer.wrap(value), x -> oracle.size());
          assertThat(id).as("round %d, value %d", round, k).isEqualTo(expected);
        }
      }
      assertThat(dictionary.size()).isEqualTo(distinct);
      for (int id = 0; id < distinct; id++) {
        byte[] v = values.get(id);
        assertThat(dictionary.length(id)).isEqualTo(v.length);
        assertThat(
                ByteBuffer.wrap(dictionary.arena(), dictionary.offset(id), dictionary.length(id)))
            .isEqualTo(ByteBuffer.wrap(v));
      }
      dictionary.clear();
      assertThat(dictionary.size()).isZero();
    }
  }

  @Test
  void longDictionaryKeepsIdsOverGrowthAndAfterClear() {
    LongDictionary dictionary = new LongDictionary();
    SplittableRandom random = new SplittableRandom(3);
    for (int round = 0; round < 2; round++) {
      Map<Long, Integer> oracle = new HashMap<>();
      for (int k = 0; k < 300_000; k++) {
        // keys that differ only in their high or only in their low bits, and random ones
        long key =
            switch (k % 3) {
              case 0 -> (long) random.nextInt(40_000) << 40;
              case 1 -> random.nextInt(40_000);
              default -> random.nextLong();
            };
        int id = dictionary.add(key);
        Integer expected = oracle.computeIfAbsent(key, x -> oracle.size());
        assertThat(id).isEqualTo(expected);
        assertThat(dictionary.key(id)).isEqualTo(key);
      }
      assertThat(dictionary.size()).isEqualTo(oracle.size());
      dictionary.clear();
    }
  }

  /**
   * Validity and boolean bits are gathered in heap words and stored at seal: for chunk sizes around
   * 8 and 64 rows, over chunks reusing the same column, Arrow's getters see each value and null as
   * appended, and nothing of a previous chunk.
   */
  @ParameterizedTest(name = "{0} rows")
  @ValueSource(ints = {1, 7, 8, 9, 63, 64, 65, 127, 130, 1000})
  void gatheredBitsReachTheVectorForEveryChunkSize(int rows) {
    Schema schema =
        Schema.builder()
            .optional("b", ColumnType.booleanType())
            .optional("i", ColumnType.int32())
            .optional("s", ColumnType.string())
            .build();
    SplittableRandom random = new SplittableRandom(rows);
    try (BufferAllocator allocator = new RootAllocator();
        ChunkColumn b = ChunkColumn.of(schema.field(0), allocator, rows);
        ChunkColumn i = ChunkColumn.of(schema.field(1), allocator, rows);
        ChunkColumn s = ChunkColumn.of(schema.field(2), allocator, rows)) {
      MutableRow row = new MutableRow(schema);
      for (int chunk = 0; chunk < 3; chunk++) {
        b.reset();
        i.reset();
        s.reset();
        // the first chunk all values (every bit set), then random nulls, then a shorter chunk
        int n = chunk == 2 ? Math.max(1, rows / 2) : rows;
        Boolean[] bools = new Boolean[n];
        Integer[] ints = new Integer[n];
        String[] strings = new String[n];
        for (int r = 0; r < n; r++) {
          row.clear();
          boolean nulls = chunk > 0;
          if (!(nulls && random.nextInt(3) == 0)) {
            bools[r] = chunk == 0 || random.nextBoolean();
            row.setBoolean(0, bools[r]);
          } else {
            row.setNull(0);
          }
          if (!(nulls && random.nextInt(3) == 0)) {
            ints[r] = random.nextInt();
            row.setInt(1, ints[r]);
          } else {
            row.setNull(1);
          }
          if (!(nulls && random.nextInt(3) == 0)) {
            strings[r] = "v" + random.nextInt(100);
            row.setString(2, strings[r]);
          } else {
            row.setNull(2);
          }
          b.append(row, 0, r);
          i.append(row, 1, r);
          s.append(row, 2, r);
        }
        b.seal(n);
        i.seal(n);
        s.seal(n);
        BitVector bv = (BitVector) b.vector;
        IntVector iv = (IntVector) i.vector;
        VarCharVector sv = (VarCharVector) s.vector;
        int nullInts = 0;
        for (int r = 0; r < n; r++) {
          String at = "chunk " + chunk + ", row " + r;
          assertThat(bv.isNull(r)).as(at).isEqualTo(bools[r] == null);
          if (bools[r] != null) {
            assertThat(bv.get(r) == 1).as(at).isEqualTo(bools[r]);
          }
          assertThat(iv.isNull(r)).as(at).isEqualTo(ints[r] == null);
          if (ints[r] != null) {
            assertThat(iv.get(r)).as(at).isEqualTo(ints[r]);
          } else {
            nullInts++;
          }
          assertThat(sv.isNull(r)).as(at).isEqualTo(strings[r] == null);
          if (strings[r] != null) {
            assertThat(new String(sv.get(r), StandardCharsets.UTF_8)).as(at).isEqualTo(strings[r]);
          }
        }
        assertThat(iv.getNullCount()).as("chunk %d", chunk).isEqualTo(nullInts);
      }
    }
  }
}
