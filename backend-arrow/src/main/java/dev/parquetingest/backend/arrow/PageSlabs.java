package dev.parquetingest.backend.arrow;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.bytes.ByteBufferAllocator;

/**
 * The heap allocator of one row group's compressed pages: parquet-java's page store ({@code
 * ColumnChunkPageWriteStore}) asks for one buffer per compressed page and holds it until the row
 * group is written. Instead of a new array per page (most of a file's allocation, and garbage that
 * the collector copies while the row group is open), buffers are cut one after another from slabs
 * of {@value #SLAB} bytes that are kept and reused: {@link #reset()} after the row group is written
 * makes every slab free again. A request larger than a slab gets an array of its own (not kept).
 * {@link ByteBufferAllocator#release} does nothing: a buffer stays valid until {@link #reset()}.
 *
 * <p>Not thread-safe: one file's writer uses it from one thread.
 */
final class PageSlabs implements ByteBufferAllocator {
  /** Bytes of a slab: just under 1 MiB, so that a slab fits one 1 MiB region of G1's heap. */
  static final int SLAB = (1 << 20) - 1024;

  private final List<byte[]> slabs = new ArrayList<>();

  /** The slab buffers are cut from now, and the first free byte in it. */
  private int current;

  private int position;

  /** Bytes handed out since the last {@link #reset()} (slab space and own arrays). */
  private long used;

  @Override
  public ByteBuffer allocate(int size) {
    if (size < 0) {
      throw new IllegalArgumentException("Cannot allocate a page buffer of " + size + " bytes");
    }
    used += size;
    if (size > SLAB) {
      return ByteBuffer.wrap(new byte[size]);
    }
    if (current < slabs.size() && position + size > SLAB) {
      current++;
      position = 0;
    }
    if (current == slabs.size()) {
      slabs.add(new byte[SLAB]);
      position = 0;
    }
    ByteBuffer buffer = ByteBuffer.wrap(slabs.get(current), position, size).slice();
    position += size;
    return buffer;
  }

  /** Nothing: buffers are released together by {@link #reset()}. */
  @Override
  public void release(ByteBuffer b) {}

  @Override
  public boolean isDirect() {
    return false;
  }

  /** Makes every slab free again: every buffer handed out before is then invalid. */
  void reset() {
    current = 0;
    position = 0;
    used = 0;
  }

  /** Keeps at most {@code maxBytes} of slabs (after {@link #reset()}), dropping the rest. */
  void trim(long maxBytes) {
    int keep = (int) Math.min(slabs.size(), maxBytes / SLAB);
    while (slabs.size() > keep) {
      slabs.remove(slabs.size() - 1);
    }
    reset();
  }

  /** Bytes handed out since the last {@link #reset()}. */
  long usedBytes() {
    return used;
  }

  /** Heap bytes of the slabs kept. */
  long capacityBytes() {
    return (long) slabs.size() * SLAB;
  }
}
