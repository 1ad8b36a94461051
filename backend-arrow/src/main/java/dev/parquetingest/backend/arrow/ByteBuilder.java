package dev.parquetingest.backend.arrow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.parquet.bytes.BytesInput;

/**
 * A growable heap byte buffer with little-endian writes: the bytes of one page (levels, plain
 * values, dictionary ids) while it is being encoded. {@link #reset()} keeps the capacity. Not
 * thread-safe.
 */
final class ByteBuilder {
  static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] bytes;
  private int size;

  ByteBuilder(int capacity) {
    this.bytes = new byte[capacity];
  }

  int size() {
    return size;
  }

  /** Bytes allocated, for memory accounting. */
  int capacity() {
    return bytes.length;
  }

  /** The backing array: valid from 0 to {@link #size()}, until the next write. */
  byte[] array() {
    return bytes;
  }

  void reset() {
    size = 0;
  }

  /** Drops the bytes after {@code newSize}, which must not exceed {@link #size()}. */
  void truncate(int newSize) {
    size = newSize;
  }

  /**
   * Makes room for {@code extra} more bytes. Only the check is here, so that the JIT inlines it
   * into every write of a PLAIN value (with the growth in it, it was called once per write).
   */
  void ensure(int extra) {
    if ((long) size + extra > bytes.length) {
      grow((long) size + extra);
    }
  }

  private void grow(long need) {
    if (need > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException(
          "Cannot buffer a page of more than 2 GB: " + need + " bytes requested");
    }
    bytes =
        Arrays.copyOf(
            bytes, (int) Math.max(need, Math.min(Integer.MAX_VALUE - 16, bytes.length * 2L)));
  }

  void writeByte(int b) {
    ensure(1);
    bytes[size++] = (byte) b;
  }

  /** Appends a byte without a capacity check: only after {@link #ensure} made room. */
  void put(int b) {
    bytes[size++] = (byte) b;
  }

  /** Appends 8 bytes without a capacity check: only after {@link #ensure} made room. */
  void putLong(long v) {
    LONG.set(bytes, size, v);
    size += 8;
  }

  void writeInt(int v) {
    ensure(4);
    INT.set(bytes, size, v);
    size += 4;
  }

  void writeLong(long v) {
    ensure(8);
    LONG.set(bytes, size, v);
    size += 8;
  }

  /** Overwrites 4 bytes at {@code position}, which must have been written. */
  void setInt(int position, int v) {
    INT.set(bytes, position, v);
  }

  void write(byte[] src, int offset, int length) {
    ensure(length);
    System.arraycopy(src, offset, bytes, size, length);
    size += length;
  }

  /** Appends {@code length} bytes from off-heap memory at {@code address}. */
  void writeFromMemory(long address, int length) {
    ensure(length);
    copyFromMemory(address, bytes, size, length);
    size += length;
  }

  /**
   * Copies {@code length} bytes from off-heap memory at {@code address} to {@code dst[at]}, which
   * must hold them. Values of up to 32 bytes (most strings) are moved as two or four overlapping 4-
   * or 8-byte words (the first and last 8 or 16 bytes), read inside the value's range and written
   * inside the destination's range, with bounds checks on the array: {@code Unsafe.copyMemory}'s
   * argument checks ({@code Class.getComponentType} on every call) and stub call cost more than the
   * copy for a few bytes.
   */
  static void copyFromMemory(long address, byte[] dst, int at, int length) {
    if (length >= 8) {
      if (length <= 16) {
        LONG.set(dst, at, MemoryUtil.getLong(address));
        LONG.set(dst, at + length - 8, MemoryUtil.getLong(address + length - 8));
      } else if (length <= 32) {
        int last = length - 16;
        LONG.set(dst, at, MemoryUtil.getLong(address));
        LONG.set(dst, at + 8, MemoryUtil.getLong(address + 8));
        LONG.set(dst, at + last, MemoryUtil.getLong(address + last));
        LONG.set(dst, at + last + 8, MemoryUtil.getLong(address + last + 8));
      } else {
        MemoryUtil.copyFromMemory(address, dst, at, length);
      }
    } else if (length >= 4) {
      INT.set(dst, at, MemoryUtil.getInt(address));
      INT.set(dst, at + length - 4, MemoryUtil.getInt(address + length - 4));
    } else {
      for (int i = 0; i < length; i++) {
        dst[at + i] = MemoryUtil.getByte(address + i);
      }
    }
  }

  /** Unsigned LEB128, as the RLE/bit-packed hybrid headers want. */
  void writeUnsignedVarInt(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      bytes[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    bytes[size++] = (byte) v;
  }

  /** A view of the current bytes; valid until the next write or reset. */
  BytesInput toBytesInput() {
    return BytesInput.from(bytes, 0, size);
  }
}
