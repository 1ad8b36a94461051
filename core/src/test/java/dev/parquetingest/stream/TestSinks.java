package dev.parquetingest.stream;

import dev.parquetingest.Sinks;
import dev.parquetingest.common.IngestException;
import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.StagedOutput;
import dev.parquetingest.testing.ForwardingSink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Hand-written sinks for runtime tests, over a real local directory. Thread-safe. */
final class TestSinks {
  private TestSinks() {}

  /** Commits the first {@code commits} files, then every commit fails (nothing becomes visible). */
  static Sink failingAfter(Path dir, int commits) {
    Sink local = Sinks.localDirectory(dir);
    AtomicInteger left = new AtomicInteger(commits);
    return new Delegating(local) {
      @Override
      StagedOutput wrap(StagedOutput out) {
        return new ForwardingSink.ForwardingStagedOutput(out) {
          @Override
          public void commit() {
            if (left.getAndDecrement() <= 0) {
              throw new IngestException("Cannot commit " + out.location() + ": injected failure");
            }
            out.commit();
          }
        };
      }
    };
  }

  /** Holds the first {@code write} to each data file until {@code gate} opens. */
  static Sink gated(Path dir, CountDownLatch gate) {
    Sink local = Sinks.localDirectory(dir);
    return new Delegating(local) {
      @Override
      StagedOutput wrap(StagedOutput out) {
        return new ForwardingSink.ForwardingStagedOutput(out) {
          @Override
          public OutputStream stream() {
            OutputStream s = out.stream();
            return new OutputStream() {
              @Override
              public void write(int b) throws IOException {
                await();
                s.write(b);
              }

              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                await();
                s.write(b, off, len);
              }

              @Override
              public void flush() throws IOException {
                s.flush();
              }

              private void await() {
                try {
                  gate.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            };
          }
        };
      }
    };
  }

  /** The ids in every committed data file of the directory, in file order. */
  static List<Long> committedIds(Path dir) {
    return idsIn(dataFiles(dir));
  }

  private static List<Long> idsIn(List<Path> files) {
    List<Long> ids = new ArrayList<>();
    for (Path f : files) {
      try {
        for (String line : Files.readAllLines(f)) {
          ids.add(Long.parseLong(line));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return ids;
  }

  /** Committed data files, sorted by name (which is write order). */
  static List<Path> dataFiles(Path dir) {
    return dataFiles(dir, 1);
  }

  /** Committed data files in the directory and its partition directories, sorted by path. */
  static List<Path> dataFilesInPartitions(Path dir) {
    return dataFiles(dir, Integer.MAX_VALUE);
  }

  /** The ids in every committed data file of the directory and its partition directories. */
  static List<Long> committedIdsInPartitions(Path dir) {
    return idsIn(dataFilesInPartitions(dir));
  }

  /** Tolerates files that vanish while it looks (a staged file being committed). */
  private static List<Path> dataFiles(Path dir, int depth) {
    List<Path> found = new ArrayList<>();
    try {
      Files.walkFileTree(
          dir,
          java.util.Set.of(),
          depth,
          new java.nio.file.SimpleFileVisitor<Path>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(
                Path p, java.nio.file.attribute.BasicFileAttributes attrs) {
              String n = p.getFileName().toString();
              if (n.endsWith(".parquet") && !n.startsWith(".")) {
                found.add(p);
              }
              return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path p, IOException e) {
              return java.nio.file.FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    found.sort(null);
    return found;
  }

  private abstract static class Delegating implements Sink {
    private final Sink delegate;

    Delegating(Sink delegate) {
      this.delegate = delegate;
    }

    abstract StagedOutput wrap(StagedOutput out);

    @Override
    public String describe() {
      return delegate.describe();
    }

    @Override
    public StagedOutput create(String name) {
      StagedOutput out = delegate.create(name);
      return name.endsWith(".parquet") ? wrap(out) : out;
    }

    @Override
    public boolean exists(String name) {
      return delegate.exists(name);
    }
  }
}
