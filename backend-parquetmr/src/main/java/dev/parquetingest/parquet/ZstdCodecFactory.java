package dev.parquetingest.parquet;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * A codec factory on zstd-jni that needs no Hadoop classes: ZSTD at a fixed level, or no
 * compression. Every backend compresses through it, so the same pages give the same bytes. Writing
 * only. One instance per file writer; not thread-safe.
 */
public final class ZstdCodecFactory implements CompressionCodecFactory {
  private final int level;
  private ZstdCompressor compressor;

  public ZstdCodecFactory(int level) {
    this.level = level;
  }

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codecName) {
    if (codecName != CompressionCodecName.ZSTD) {
      throw new UnsupportedOperationException("Cannot compress with " + codecName + ": only ZSTD");
    }
    if (compressor == null) {
      compressor = new ZstdCompressor(level);
    }
    return compressor;
  }

  /** Heap bytes the compressor's reused page buffers hold now. */
  public long allocatedBytes() {
    return compressor == null ? 0 : compressor.allocatedBytes();
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codecName) {
    throw new UnsupportedOperationException("Cannot decompress: this factory only writes");
  }

  @Override
  public void release() {
    if (compressor != null) {
      compressor.release();
      compressor = null;
    }
  }

  /**
   * Compresses each page into one reused buffer; the page writer copies what it keeps. A page held
   * in one heap array (what {@link BytesInput#from(byte[], int, int)} gives, as the arrow writer's
   * pages are) is compressed from that array in place: parquet-java's {@link
   * BytesInput#toByteBuffer(ByteBufferAllocator, java.util.function.Consumer)} hands out the buffer
   * it holds when that is on the heap, and copies any other page (a concatenation of level and
   * value bytes, a direct buffer, a stream) into the one reused array of {@link PageBuffer}.
   */
  private static final class ZstdCompressor implements BytesInputCompressor {
    private final ZstdCompressCtx ctx = new ZstdCompressCtx();
    private final PageBuffer pageBuffer = new PageBuffer();
    private byte[] out = new byte[0];

    ZstdCompressor(int level) {
      ctx.setLevel(level);
    }

    @Override
    public BytesInput compress(BytesInput bytes) throws IOException {
      ByteBuffer page = heapBytes(bytes, pageBuffer);
      int size = page.remaining();
      int bound = Math.toIntExact(Zstd.compressBound(size));
      if (out.length < bound) {
        out = new byte[bound];
      }
      int n =
          ctx.compressByteArray(
              out, 0, out.length, page.array(), page.arrayOffset() + page.position(), size);
      return BytesInput.from(out, 0, n);
    }

    long allocatedBytes() {
      return out.length + pageBuffer.capacity();
    }

    @Override
    public CompressionCodecName getCodecName() {
      return CompressionCodecName.ZSTD;
    }

    @Override
    public void release() {
      ctx.close();
      out = new byte[0];
    }
  }

  /**
   * The page's bytes in a heap buffer with an accessible array: the buffer {@code bytes} holds when
   * it is one, else a copy in {@code copies}' reused array.
   */
  static ByteBuffer heapBytes(BytesInput bytes, PageBuffer copies) {
    ByteBuffer page = bytes.toByteBuffer(copies, b -> {});
    if (page.hasArray()) {
      return page;
    }
    // a read-only heap buffer: on the heap, but its array is not accessible
    ByteBuffer copy = copies.allocate(page.remaining());
    copy.put(page.duplicate()).flip();
    return copy;
  }

  /**
   * Whether a page of {@code bytes} is compressed straight from the array that holds it, without
   * being copied first (for tests).
   */
  static boolean compressesInPlace(BytesInput bytes) {
    PageBuffer copies = new PageBuffer();
    heapBytes(bytes, copies);
    return copies.capacity() == 0;
  }

  /**
   * A heap "allocator" that hands out one reused array, grown when a page needs more: where pages
   * that are not one heap array are copied before compression. Not thread-safe.
   */
  static final class PageBuffer implements ByteBufferAllocator {
    private byte[] array = new byte[0];

    @Override
    public ByteBuffer allocate(int size) {
      if (array.length < size) {
        array = new byte[(int) Math.max(size, Math.min(Integer.MAX_VALUE - 8, 2L * array.length))];
      }
      return ByteBuffer.wrap(array, 0, size);
    }

    @Override
    public void release(ByteBuffer b) {
      // the array is reused for the next page
    }

    @Override
    public boolean isDirect() {
      return false;
    }

    int capacity() {
      return array.length;
    }
  }
}
