package dev.parquetingest.backend.arrow;

import java.util.Arrays;

/**
 * The dictionary of one column chunk of byte strings: the entries' bytes held one after another in
 * an arena, and an open-addressing hash table (linear probing, at most half full) of ids. A value's
 * hash is computed once by the caller ({@link #hash}); bytes are compared only when the stored hash
 * matches. No object per value or per entry. Ids are given in order of first appearance. Not
 * thread-safe.
 */
final class BytesDictionary {
  private byte[] arena = new byte[4096];
  private int arenaSize;

  /** Per id: offset in the arena (high 32 bits) and length (low 32 bits). */
  private long[] entries = new long[64];

  /** Per slot: the entry's hash (high 32 bits) and id + 1 (low 32 bits); 0 is an empty slot. */
  private long[] slots = new long[128];

  private int mask = 127;
  private int size;

  /** The id of {@code bytes[offset, offset + length)}, whose {@link #hash} is {@code hash}. */
  int add(byte[] bytes, int offset, int length, int hash) {
    int slot = hash & mask;
    long[] s = slots;
    long h = (long) hash << 32;
    while (true) {
      long entry = s[slot];
      if (entry == 0) {
        return insert(bytes, offset, length, hash, slot);
      }
      if ((entry & 0xFFFFFFFF00000000L) == h) {
        int id = (int) entry - 1;
        long e = entries[id];
        int at = (int) (e >>> 32);
        if ((int) e == length
            && Arrays.equals(arena, at, at + length, bytes, offset, offset + length)) {
          return id;
        }
      }
      slot = (slot + 1) & mask;
    }
  }

  private int insert(byte[] bytes, int offset, int length, int hash, int slot) {
    int id = size;
    if (id == entries.length) {
      entries = Arrays.copyOf(entries, id * 2);
    }
    if (arenaSize + length > arena.length) {
      long need = Math.max((long) arenaSize + length, arena.length * 2L);
      arena = Arrays.copyOf(arena, (int) Math.min(need, Integer.MAX_VALUE - 16));
    }
    System.arraycopy(bytes, offset, arena, arenaSize, length);
    entries[id] = ((long) arenaSize << 32) | length;
    arenaSize += length;
    slots[slot] = ((long) hash << 32) | (id + 1);
    size = id + 1;
    if (size * 2 > slots.length) {
      rehash(slots.length * 2);
    }
    return id;
  }

  private void rehash(int capacity) {
    long[] old = slots;
    long[] s = new long[capacity];
    int m = capacity - 1;
    for (long entry : old) {
      if (entry != 0) {
        int slot = (int) (entry >>> 32) & m;
        while (s[slot] != 0) {
          slot = (slot + 1) & m;
        }
        s[slot] = entry;
      }
    }
    slots = s;
    mask = m;
  }

  /** A hash of {@code bytes[offset, offset + length)}, eight bytes at a time. */
  static int hash(byte[] bytes, int offset, int length) {
    long h = 0x9E3779B97F4A7C15L ^ length;
    int i = offset;
    int end = offset + length;
    for (; i + 8 <= end; i += 8) {
      h = (h ^ (long) ByteBuilder.LONG.get(bytes, i)) * 0xFF51AFD7ED558CCDL;
      h ^= h >>> 32;
    }
    long tail = 0;
    for (int shift = 0; i < end; i++, shift += 8) {
      tail |= (bytes[i] & 0xFFL) << shift;
    }
    h = (h ^ tail) * 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 29;
    return (int) h;
  }

  int size() {
    return size;
  }

  /** The arena holding every entry's bytes (valid until the next {@link #add}). */
  byte[] arena() {
    return arena;
  }

  int offset(int id) {
    return (int) (entries[id] >>> 32);
  }

  int length(int id) {
    return (int) entries[id];
  }

  void clear() {
    if (size > 0) {
      Arrays.fill(slots, 0);
      size = 0;
      arenaSize = 0;
    }
  }

  /** Heap bytes held by the arena and the tables. */
  long allocatedBytes() {
    return arena.length + entries.length * 8L + slots.length * 8L;
  }
}
