package dev.parquetingest.parquet;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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

  /** Compresses each page into one reused buffer; the page writer copies what it keeps. */
  private static final class ZstdCompressor implements BytesInputCompressor {
    private final ZstdCompressCtx ctx = new ZstdCompressCtx();
    private final ReusableByteArrayOutputStream pageBytes = new ReusableByteArrayOutputStream();
    private byte[] out = new byte[0];

    ZstdCompressor(int level) {
      ctx.setLevel(level);
    }

    @Override
    public BytesInput compress(BytesInput bytes) throws IOException {
      pageBytes.reset();
      bytes.writeAllTo(pageBytes);
      byte[] in = pageBytes.buffer();
      int size = pageBytes.size();
      int bound = Math.toIntExact(Zstd.compressBound(size));
      if (out.length < bound) {
        out = new byte[bound];
      }
      int n = ctx.compressByteArray(out, 0, out.length, in, 0, size);
      return BytesInput.from(out, 0, n);
    }

    long allocatedBytes() {
      return out.length + pageBytes.capacity();
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

  /** A byte-array stream whose buffer can be read without a copy. */
  private static final class ReusableByteArrayOutputStream extends ByteArrayOutputStream {
    byte[] buffer() {
      return buf;
    }

    int capacity() {
      return buf.length;
    }
  }
}
