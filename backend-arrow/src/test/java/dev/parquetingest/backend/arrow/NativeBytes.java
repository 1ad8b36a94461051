package dev.parquetingest.backend.arrow;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * Off-heap bytes for tests of the code that reads values where Arrow holds them: a buffer of a
 * fixed size, written from heap arrays, read by address. Closing releases it (and checks for
 * leaks).
 */
final class NativeBytes implements AutoCloseable {
  private final BufferAllocator allocator = new RootAllocator();
  private final ArrowBuf buffer;

  NativeBytes(int size) {
    buffer = allocator.buffer(size);
    buffer.setZero(0, size);
  }

  /** Copies {@code src[srcOffset, srcOffset + length)} to {@code at}; returns its address. */
  long put(int at, byte[] src, int srcOffset, int length) {
    buffer.setBytes(at, src, srcOffset, length);
    return address(at);
  }

  /** Copies the whole of {@code src} to {@code at}; returns its address. */
  long put(int at, byte[] src) {
    return put(at, src, 0, src.length);
  }

  void setByte(int at, int value) {
    buffer.setByte(at, value);
  }

  long address(int at) {
    if (at < 0 || at > buffer.capacity()) {
      throw new IndexOutOfBoundsException("Cannot address byte " + at + " of " + buffer.capacity());
    }
    return buffer.memoryAddress() + at;
  }

  @Override
  public void close() {
    buffer.close();
    allocator.close();
  }
}
