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

  /** id + 1 per slot; 0 is an empty slot. */
  private int[] slots = new int[128];

  private int mask = 127;
  private int shift = 64 - 7;
  private int size;

  /** The id of {@code key}, added if new (then {@link #size()} grows by one). */
  int add(long key) {
    int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    int[] s = slots;
    while (true) {
      int entry = s[slot];
      if (entry == 0) {
        return insert(key, slot);
      }
      if (keys[entry - 1] == key) {
        return entry - 1;
      }
      slot = (slot + 1) & mask;
    }
  }

  private int insert(long key, int slot) {
    int id = size;
    if (id == keys.length) {
      keys = Arrays.copyOf(keys, id * 2);
    }
    keys[id] = key;
    slots[slot] = id + 1;
    size = id + 1;
    if (size * 2 > slots.length) {
      rehash(slots.length * 2);
    }
    return id;
  }

  private void rehash(int capacity) {
    int[] s = new int[capacity];
    int m = capacity - 1;
    int sh = 64 - Integer.numberOfTrailingZeros(capacity);
    for (int id = 0; id < size; id++) {
      int slot = (int) ((keys[id] * 0x9E3779B97F4A7C15L) >>> sh);
      while (s[slot] != 0) {
        slot = (slot + 1) & m;
      }
      s[slot] = id + 1;
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
    return keys.length * 8L + slots.length * 4L;
  }
}
