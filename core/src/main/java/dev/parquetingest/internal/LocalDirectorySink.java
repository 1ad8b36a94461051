package dev.parquetingest.internal;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.StagedOutput;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Writes files into one local directory. A file is written under a hidden temporary name in the
 * same directory, forced to disk, then hard-linked to its final name (which fails if the name
 * exists, so nothing is ever overwritten) and the temporary name removed; the directory is then
 * forced too. Where hard links are not supported it falls back to an atomic rename after an
 * existence check. A file created to replace another is renamed over it atomically. Thread-safe.
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
  public boolean listable() {
    return true;
  }

  @Override
  public List<String> list(Predicate<String> fileName) {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      List<String> names = new ArrayList<>();
      paths
          .filter(Files::isRegularFile)
          .filter(p -> fileName.test(p.getFileName().toString()))
          .forEach(p -> names.add(directory.relativize(p).toString().replace('\\', '/')));
      return names;
    } catch (IOException | UncheckedIOException e) {
      throw new IngestException("Cannot list " + directory + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void delete(String name) {
    Path target = resolve(name);
    try {
      Files.deleteIfExists(target);
      removeEmptyParents(directory, target.getParent());
    } catch (IOException e) {
      throw new IngestException("Cannot remove " + target + ": " + e.getMessage(), e);
    }
  }

  @Override
  public long size(String name) {
    Path target = resolve(name);
    try {
      return Files.size(target);
    } catch (IOException e) {
      throw new IngestException("Cannot read " + target + ": " + IoMessages.of(e), e);
    }
  }

  @Override
  public byte[] readTail(String name, int length) {
    Path target = resolve(name);
    try (FileChannel ch = FileChannel.open(target, StandardOpenOption.READ)) {
      long size = ch.size();
      int n = (int) Math.min(size, length);
      ByteBuffer buffer = ByteBuffer.allocate(n);
      long at = size - n;
      while (buffer.hasRemaining()) {
        int read = ch.read(buffer, at + buffer.position());
        if (read < 0) {
          throw new IOException("file shrank while reading");
        }
      }
      return buffer.array();
    } catch (IOException e) {
      throw new IngestException("Cannot read " + target + ": " + IoMessages.of(e), e);
    }
  }

  private Path resolve(String name) {
    Path target = directory.resolve(name).normalize();
    if (!target.startsWith(directory) || target.equals(directory)) {
      throw new IngestException("Cannot use '" + name + "': it lies outside " + directory);
    }
    return target;
  }

  @Override
  public StagedOutput create(String name) {
    return create(name, false);
  }

  @Override
  public StagedOutput create(String name, boolean replace) {
    Path target = directory.resolve(name).normalize();
    if (!target.startsWith(directory) || target.equals(directory)) {
      throw new IngestException("Cannot create '" + name + "': it lies outside " + directory);
    }
    try {
      Path temp =
          target.resolveSibling(
              "." + target.getFileName() + "." + UUID.randomUUID() + ".inprogress");
      for (int attempt = 0; ; attempt++) {
        Files.createDirectories(target.getParent());
        try {
          FileChannel channel =
              FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          return new LocalStagedOutput(directory, target, temp, channel, replace);
        } catch (NoSuchFileException e) {
          // another file's abort removed the (then empty) partition directory: make it again
          if (attempt >= 3) {
            throw e;
          }
        }
      }
    } catch (IOException e) {
      throw new IngestException("Cannot create " + target + ": " + IoMessages.of(e), e);
    }
  }

  @Override
  public String toString() {
    return "LocalDirectorySink{" + directory + "}";
  }

  /**
   * Removes {@code dir} and its parents below {@code root} while they are empty, so that an aborted
   * file leaves no empty partition directory; a directory another file is created in meanwhile
   * stays (its removal fails as not empty).
   */
  static void removeEmptyParents(Path root, Path dir) {
    for (Path d = dir; d != null && !d.equals(root) && d.startsWith(root); d = d.getParent()) {
      try {
        Files.delete(d);
      } catch (IOException e) {
        return; // not empty (or gone): stop
      }
    }
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
    private final boolean replace;
    private final Path root;
    private boolean done;

    LocalStagedOutput(Path root, Path target, Path temp, FileChannel channel, boolean replace) {
      this.root = root;
      this.replace = replace;
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
        throw new IngestException("Cannot commit " + target + ": " + IoMessages.of(e), e);
      }
    }

    private void publish() throws IOException {
      if (replace) {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return;
      }
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
      removeEmptyParents(root, temp.getParent());
    }
  }
}
