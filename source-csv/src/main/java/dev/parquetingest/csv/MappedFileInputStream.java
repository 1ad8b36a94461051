package dev.parquetingest.csv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads a regular file through memory-mapped windows: each read is one copy from the page cache
 * into the caller's array, where a read through a {@link FileChannel} into a heap array copies
 * twice (into a temporary direct buffer, then into the array). A window is mapped for {@link
 * #WINDOW} bytes at a time and dropped when the next one is mapped (the mapping goes away with its
 * buffer, at the next garbage collection). The file's size is taken at the start: bytes appended
 * later are not read. Not thread-safe.
 */
final class MappedFileInputStream extends InputStream {
  /** Bytes mapped at a time. */
  static final long WINDOW = 32L << 20;

  private final FileChannel channel;
  private final long size;
  private long position;
  private MappedByteBuffer window;
  private long windowStart;

  /**
   * @param channel the file, closed by {@link #close()}
   * @param position the first byte read
   */
  MappedFileInputStream(FileChannel channel, long position) throws IOException {
    this.channel = channel;
    this.size = channel.size();
    this.position = position;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (position >= size) {
      return -1;
    }
    if (window == null || position >= windowStart + window.capacity()) {
      windowStart = position;
      window =
          channel.map(FileChannel.MapMode.READ_ONLY, position, Math.min(WINDOW, size - position));
    }
    int inWindow = (int) (position - windowStart);
    int n = Math.min(len, window.capacity() - inWindow);
    window.get(inWindow, b, off, n);
    position += n;
    return n;
  }

  @Override
  public void close() throws IOException {
    window = null;
    channel.close();
  }
}
