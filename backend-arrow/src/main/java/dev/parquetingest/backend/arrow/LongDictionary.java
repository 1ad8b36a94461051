package dev.parquetingest.backend.arrow;

import java.util.Arrays;

/**
 * The dictionary of one column chunk of a fixed-width type: an open-addressing hash table
 * (Fibonacci hashing: the top bits of the key times the golden ratio; linear probing; at most half
 * full) from a value's bits to its id, ids given in order of first appearance, plus the values by
 * id. Not thread-safe.
 */
final class LongDictionary {
  private long[] keys = new long[64];

  /**
   * Per slot {@code i}: at {@code 2i} the key, at {@code 2i + 1} its id + 1 (0 for an empty slot),
   * so that a lookup reads one line of the table, not the table and then {@link #keys}.
   */
  private long[] slots = new long[2 * 128];

  private int mask = 127;
  private int shift = 64 - 7;
  private int size;

  /** The id of {@code key}, added if new (then {@link #size()} grows by one). */
  int add(long key) {
    int id = find(key);
    return id >= 0 ? id : insert(key, -1 - id);
  }

  /**
   * The id of {@code key}, or {@code -1 - slot} when it is not in the dictionary, for {@link
   * #insert}: the lookup alone, small enough for the JIT to inline into the caller's loop.
   */
  int find(long key) {
    int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    long[] s = slots;
    while (true) {
      long id = s[(slot << 1) + 1];
      if (id == 0) {
        return -1 - slot;
      }
      if (s[slot << 1] == key) {
        return (int) id - 1;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** Adds {@code key} at the empty {@code slot} that {@link #find} reported; returns its id. */
  int insert(long key, int slot) {
    int id = size;
    if (id == keys.length) {
      keys = Arrays.copyOf(keys, id * 2);
    }
    keys[id] = key;
    slots[slot << 1] = key;
    slots[(slot << 1) + 1] = id + 1;
    size = id + 1;
    if (size * 2 > mask + 1) {
      rehash((mask + 1) * 2);
    }
    return id;
  }

  private void rehash(int capacity) {
    long[] s = new long[2 * capacity];
    int m = capacity - 1;
    int sh = 64 - Integer.numberOfTrailingZeros(capacity);
    for (int id = 0; id < size; id++) {
      long key = keys[id];
      int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> sh);
      while (s[(slot << 1) + 1] != 0) {
        slot = (slot + 1) & m;
      }
      s[slot << 1] = key;
      s[(slot << 1) + 1] = id + 1;
    }
    slots = s;
    mask = m;
    shift = sh;
  }

  int size() {
    return size;
  }

  /** The value bits of {@code id}. */
  long key(int id) {
    return keys[id];
  }

  void clear() {
    if (size > 0) {
      Arrays.fill(slots, 0);
      size = 0;
    }
  }

  /** Heap bytes held by the table and the values. */
  long allocatedBytes() {
    return keys.length * 8L + slots.length * 8L;
  }
}
