package dev.parquetingest.internal;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.StagedOutput;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes files into one local directory. A file is written under a hidden temporary name in the
 * same directory, forced to disk, then hard-linked to its final name (which fails if the name
 * exists, so nothing is ever overwritten) and the temporary name removed; the directory is then
 * forced too. Where hard links are not supported it falls back to an atomic rename after an
 * existence check. Thread-safe.
 */
public final class LocalDirectorySink implements Sink {
  /**
   * Per open file. Pages arrive as writes larger than this and bypass it; it only gathers page
   * headers and footers, so it stays small: with many partitions every open file holds one.
   */
  private static final int BUFFER_SIZE = 32 * 1024;

  private final Path directory;

  public LocalDirectorySink(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
  }

  @Override
  public String describe() {
    return directory.toString();
  }

  @Override
  public boolean exists(String name) {
    return Files.exists(directory.resolve(name));
  }

  @Override
  public long committedSize(String name) {
    try {
      Path p = directory.resolve(name);
      return Files.isRegularFile(p) ? Files.size(p) : -1;
    } catch (IOException e) {
      throw new IngestException("Cannot read the size of " + directory.resolve(name) + ": " + e, e);
    }
  }

  @Override
  public byte[] readCommitted(String name, long offset, int length) {
    Path p = directory.resolve(name);
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(length);
      while (buffer.hasRemaining()) {
        if (ch.read(buffer, offset + buffer.position()) < 0) {
          throw new IngestException(
              "Cannot read " + length + " bytes at " + offset + " of " + p + ": it ends before");
        }
      }
      return buffer.array();
    } catch (IOException e) {
      throw new IngestException("Cannot read " + p + ": " + e, e);
    }
  }

  @Override
  public StagedOutput create(String name) {
    Path target = directory.resolve(name).normalize();
    if (!target.startsWith(directory) || target.equals(directory)) {
      throw new IngestException("Cannot create '" + name + "': it lies outside " + directory);
    }
    try {
      Files.createDirectories(target.getParent());
      Path temp =
          target.resolveSibling(
              "." + target.getFileName() + "." + UUID.randomUUID() + ".inprogress");
      FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return new LocalStagedOutput(target, temp, channel);
    } catch (IOException e) {
      throw new IngestException("Cannot create " + target + ": " + e, e);
    }
  }

  @Override
  public String toString() {
    return "LocalDirectorySink{" + directory + "}";
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some file systems cannot open a directory for reading; the rename is still atomic.
    }
  }

  private static final class LocalStagedOutput implements StagedOutput {
    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final OutputStream stream;
    private boolean done;

    LocalStagedOutput(Path target, Path temp, FileChannel channel) {
      this.target = target;
      this.temp = temp;
      this.channel = channel;
      this.stream = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_SIZE);
    }

    @Override
    public OutputStream stream() {
      return stream;
    }

    @Override
    public long bufferedBytes() {
      return BUFFER_SIZE;
    }

    @Override
    public String location() {
      return target.toString();
    }

    @Override
    public void commit() {
      if (done) {
        throw new IllegalStateException(
            "Cannot commit " + target + ": already committed or aborted");
      }
      try {
        stream.flush();
        channel.force(true);
        channel.close();
        publish();
        done = true;
        forceDirectory(target.getParent());
      } catch (FileAlreadyExistsException e) {
        throw new IngestException(
            "Cannot commit "
                + target
                + ": a file with that name already exists; use an empty output directory or"
                + " another file prefix",
            e);
      } catch (IOException e) {
        throw new IngestException("Cannot commit " + target + ": " + e, e);
      }
    }

    private void publish() throws IOException {
      try {
        Files.createLink(target, temp);
        Files.delete(temp);
      } catch (UnsupportedOperationException e) {
        if (Files.exists(target)) {
          throw new FileAlreadyExistsException(target.toString());
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      }
    }

    @Override
    public void abort() {
      if (done) {
        return;
      }
      done = true;
      try {
        channel.close();
      } catch (IOException e) {
        // closing only releases the descriptor; the file is deleted below
      }
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot remove temporary file " + temp, e);
      }
    }
  }
}
