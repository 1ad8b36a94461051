package dev.parquetingest.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;

/**
 * The shared compressor gives, for pages of every shape parquet-java and the arrow writer hand it,
 * exactly the bytes ZSTD gives for the page's bytes copied into one array (what it did for every
 * page before it compressed one-array pages in place), and it compresses in place exactly the pages
 * held in one heap array.
 */
class ZstdCodecFactoryTest {
  private static final int LEVEL = 3;

  @Test
  void everyPageShapeCompressesToTheBytesOfItsCopy() throws IOException {
    SplittableRandom random = new SplittableRandom(5);
    ZstdCodecFactory codecs = new ZstdCodecFactory(LEVEL);
    try {
      BytesInputCompressor compressor = codecs.getCompressor(CompressionCodecName.ZSTD);
      for (int size : new int[] {0, 1, 7, 100, 4096, 70_000, 1 << 20}) {
        byte[] a = compressible(random, size + 64);
        byte[] b = compressible(random, size / 3 + 5);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.write(a, 0, size);
        ByteBuffer direct = ByteBuffer.allocateDirect(size);
        direct.put(a, 0, size).flip();
        BytesInput[] pages = {
          BytesInput.from(Arrays.copyOf(a, size)),
          BytesInput.from(a, 0, size),
          BytesInput.from(a, 64, size),
          BytesInput.from(ByteBuffer.wrap(a, 32, size)),
          BytesInput.from(ByteBuffer.wrap(a, 32, size).slice()),
          BytesInput.from(ByteBuffer.wrap(a, 0, size).asReadOnlyBuffer()),
          BytesInput.from(direct),
          BytesInput.from(stream),
          BytesInput.concat(BytesInput.from(b), BytesInput.from(a, 3, size)),
          BytesInput.concat(
              BytesInput.fromInt(size), BytesInput.from(b, 1, b.length - 1), BytesInput.empty()),
        };
        for (int p = 0; p < pages.length; p++) {
          byte[] plain = bytesOf(pages[p]);
          byte[] compressed = bytesOf(compressor.compress(pages[p]));
          assertThat(compressed)
              .as("page shape %d of %d bytes", p, plain.length)
              .isEqualTo(Zstd.compress(plain, LEVEL));
          assertThat(Zstd.decompress(compressed, plain.length))
              .as("page shape %d", p)
              .isEqualTo(plain);
        }
      }
    } finally {
      codecs.release();
    }
  }

  @Test
  void onlyPagesHeldInOneHeapArrayAreCompressedInPlace() throws IOException {
    byte[] a = new byte[100];
    assertThat(ZstdCodecFactory.compressesInPlace(BytesInput.from(a))).isTrue();
    assertThat(ZstdCodecFactory.compressesInPlace(BytesInput.from(a, 10, 50))).isTrue();
    assertThat(ZstdCodecFactory.compressesInPlace(BytesInput.from(ByteBuffer.wrap(a, 5, 20))))
        .isTrue();
    assertThat(
            ZstdCodecFactory.compressesInPlace(
                BytesInput.from(ByteBuffer.wrap(a).asReadOnlyBuffer())))
        .isFalse();
    assertThat(ZstdCodecFactory.compressesInPlace(BytesInput.from(ByteBuffer.allocateDirect(8))))
        .isFalse();
    assertThat(
            ZstdCodecFactory.compressesInPlace(
                BytesInput.concat(BytesInput.from(a), BytesInput.from(a))))
        .isFalse();
  }

  private static byte[] bytesOf(BytesInput bytes) throws IOException {
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    bytes.writeAllTo(copy);
    return copy.toByteArray();
  }

  /** Bytes from a few hundred distinct words, so that ZSTD finds matches. */
  private static byte[] compressible(SplittableRandom random, int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) ('a' + random.nextInt(8) + ((i / 16) % 5));
    }
    return b;
  }
}
