package dev.parquetingest.backend.arrow;

import java.util.Arrays;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * The dictionary of one column chunk of byte strings: the entries' bytes held one after another in
 * an arena, and an open-addressing hash table (power-of-two size, linear probing, at most half
 * full). A slot is two adjacent longs: the entry's hash and id, then its arena offset and length,
 * so a lookup reads one cache line of the table and the arena, not a third array. A value's hash is
 * computed once by the caller ({@link #hash}) and kept in the table (growth does not hash again);
 * bytes are compared only when the stored hash and length match. No object per value or per entry.
 * Ids are given in order of first appearance. Not thread-safe.
 */
final class BytesDictionary {
  private byte[] arena = new byte[4096];
  private int arenaSize;

  /** Per id: offset in the arena (high 32 bits) and length (low 32 bits). */
  private long[] entries = new long[64];

  /**
   * Per slot {@code i}: at {@code 2i} the entry's hash (high 32 bits) and id + 1 (low 32 bits), 0
   * for an empty slot; at {@code 2i + 1} its offset in the arena (high 32 bits) and length (low 32
   * bits).
   */
  private long[] slots = new long[2 * 128];

  /** Slots - 1. */
  private int mask = 127;

  private int size;

  /**
   * The id of the {@code length} bytes at {@code address} (off-heap, such as an Arrow buffer's),
   * whose {@link #hash} is {@code hash}; added if new. The column writer does the same with the
   * lookup inlined ({@link BytesColumnWriter}).
   */
  int add(long address, int length, int hash) {
    int id =
        length <= 8
            ? findShort(shortKeyByBytes(address, length), length, hash)
            : find(address, length, hash);
    return id >= 0 ? id : insert(address, length, hash, -1 - id);
  }

  /**
   * The id of the {@code length} bytes at {@code address}, whose {@link #hash} is {@code hash}, or
   * {@code -1 - slot} when they are not in the dictionary, for {@link #insert}. The lookup alone,
   * kept apart from the insertion so that it stays small enough for the JIT to inline it into the
   * caller's loop (with the insertion inlined, the compiled method was too big to be inlined).
   */
  int find(long address, int length, int hash) {
    int slot = hash & mask;
    long[] s = slots;
    long h = (long) hash << 32;
    while (true) {
      long entry = s[slot << 1];
      if (entry == 0) {
        return -1 - slot;
      }
      if ((entry & 0xFFFFFFFF00000000L) == h) {
        long e = s[(slot << 1) + 1];
        if ((int) e == length && equal(arena, (int) (e >>> 32), address, length)) {
          return (int) entry - 1;
        }
      }
      slot = (slot + 1) & mask;
    }
  }

  /**
   * Whether {@code a[aOffset..+length)} equals the {@code length} bytes at {@code address}: values
   * of up to 128 bytes as words, the last one overlapping the one before (no call: a dictionary hit
   * on a user agent compares its whole 64 bytes), longer ones eight bytes at a time and then byte
   * by byte. Reads nothing outside either range; {@code a} must hold its range (the arena's entries
   * do by construction: it is read without bounds checks).
   */
  static boolean equal(byte[] a, int aOffset, long address, int length) {
    if (length >= 8) {
      int last = length - 8;
      if (length > 16) {
        int i = 0;
        for (; i < last; i += 8) {
          if (MemoryUtil.getLong(a, aOffset + i) != MemoryUtil.getLong(address + i)) {
            return false;
          }
        }
      } else if (MemoryUtil.getLong(a, aOffset) != MemoryUtil.getLong(address)) {
        return false;
      }
      return MemoryUtil.getLong(a, aOffset + last) == MemoryUtil.getLong(address + last);
    }
    if (length >= 4) {
      int last = length - 4;
      return MemoryUtil.getInt(a, aOffset) == MemoryUtil.getInt(address)
          && MemoryUtil.getInt(a, aOffset + last) == MemoryUtil.getInt(address + last);
    }
    for (int i = 0; i < length; i++) {
      if (a[aOffset + i] != MemoryUtil.getByte(address + i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@link #find} for a value of at most 8 bytes given as its {@link #shortKey}: compares the key
   * with the entry's bytes read as one masked word, without a byte-length dependent loop or branch
   * (most dictionary values are short; a column of values of mixed short lengths made the length
   * tests of {@link #hash} and {@link #equal} unpredictable branches).
   */
  int findShort(long key, int length, int hash) {
    int slot = hash & mask;
    long[] s = slots;
    long h = (long) hash << 32;
    long keep = mask(length);
    while (true) {
      long entry = s[slot << 1];
      if (entry == 0) {
        return -1 - slot;
      }
      if ((entry & 0xFFFFFFFF00000000L) == h) {
        long e = s[(slot << 1) + 1];
        if ((int) e == length && (MemoryUtil.getLong(arena, (int) (e >>> 32)) & keep) == key) {
          return (int) entry - 1;
        }
      }
      slot = (slot + 1) & mask;
    }
  }

  /** The mask of the low {@code length} bytes of a word, {@code length} from 0 to 8. */
  static long mask(int length) {
    return (-1L >>> ((8 - length) << 3)) & -(long) ((length + 7) >>> 3);
  }

  /**
   * A value of at most 8 bytes at {@code address} as one word (its bytes in little-endian order,
   * zero above its length), read as one 8-byte load: {@code address + 8} must be readable.
   */
  static long shortKey(long address, int length) {
    return MemoryUtil.getLong(address) & mask(length);
  }

  /** {@link #shortKey} for a value that may end less than 8 bytes before its buffer's end. */
  static long shortKeyByBytes(long address, int length) {
    long key = 0;
    for (int i = 0; i < length; i++) {
      key |= (MemoryUtil.getByte(address + i) & 0xFFL) << (i << 3);
    }
    return key;
  }

  /** The {@link #hash} of a value of at most 8 bytes, from its {@link #shortKey}. */
  static int shortHash(long key, int length) {
    return finish(0x9E3779B97F4A7C15L ^ length ^ key);
  }

  /**
   * Adds the {@code length} bytes at {@code address}, whose {@link #hash} is {@code hash}, at the
   * empty {@code slot} that {@link #find} reported (no other entry added since); returns its id.
   */
  int insert(long address, int length, int hash, int slot) {
    int id = size;
    if (id == entries.length) {
      entries = Arrays.copyOf(entries, id * 2);
    }
    // the arena keeps 8 bytes of slack after the last entry: findShort reads an entry as one word
    if (arenaSize + length + 8L > arena.length) {
      long need = Math.max((long) arenaSize + length + 8, arena.length * 2L);
      arena = Arrays.copyOf(arena, (int) Math.min(need, Integer.MAX_VALUE - 16));
    }
    ByteBuilder.copyFromMemory(address, arena, arenaSize, length);
    long at = ((long) arenaSize << 32) | length;
    entries[id] = at;
    arenaSize += length;
    slots[slot << 1] = ((long) hash << 32) | (id + 1);
    slots[(slot << 1) + 1] = at;
    size = id + 1;
    if (size * 2 > mask + 1) {
      rehash((mask + 1) * 2);
    }
    return id;
  }

  /** Moves every entry into a table of {@code capacity} slots, by the hashes kept in the slots. */
  private void rehash(int capacity) {
    long[] old = slots;
    long[] s = new long[2 * capacity];
    int m = capacity - 1;
    for (int i = 0; i < old.length; i += 2) {
      long entry = old[i];
      if (entry != 0) {
        int slot = (int) (entry >>> 32) & m;
        while (s[slot << 1] != 0) {
          slot = (slot + 1) & m;
        }
        s[slot << 1] = entry;
        s[(slot << 1) + 1] = old[i + 1];
      }
    }
    slots = s;
    mask = m;
  }

  /**
   * A hash of the {@code length} bytes at {@code address}: for up to 8 bytes {@link #shortHash} of
   * the value as one word; longer values eight bytes at a time, the last 1 to 7 bytes read as one
   * word overlapping the previous one. No byte outside the value is read.
   */
  static int hash(long address, int length) {
    if (length <= 8) {
      return shortHash(shortKeyByBytes(address, length), length);
    }
    long h = 0x9E3779B97F4A7C15L ^ length;
    long i = address;
    long end = address + length;
    for (; i + 8 <= end; i += 8) {
      h = (h ^ MemoryUtil.getLong(i)) * 0xFF51AFD7ED558CCDL;
      h ^= h >>> 32;
    }
    if (i < end) {
      h ^= MemoryUtil.getLong(end - 8);
    }
    return finish(h);
  }

  /**
   * MurmurHash3's 64-bit finaliser: every input bit reaches the low bits that pick the slot (a
   * single multiply leaves them depending on the low input bytes only, and values that share their
   * first bytes, such as host names, then pile up in a few clusters).
   */
  private static int finish(long h) {
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
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
