package dev.parquetingest.runtime;

import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.Source;
import java.util.List;

/**
 * Several sources of the same schema read one after another as one: each is opened when the one
 * before it has ended, and closed then. For a resumed run's pass over the kept files' ranges, whose
 * records go to no file, so one lane can read many ranges. Called from one thread, like every
 * source.
 */
final class SourceSequence implements Source {
  private final List<Source> parts;
  private int current;
  private long bytesBefore;
  private boolean opened;

  /**
   * @param parts at least one, none opened yet; read in this order
   */
  SourceSequence(List<Source> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("Cannot read a sequence of no sources");
    }
    this.parts = List.copyOf(parts);
  }

  @Override
  public String name() {
    return parts.get(Math.min(current, parts.size() - 1)).name();
  }

  @Override
  public Schema open() {
    if (opened) {
      throw new IllegalStateException("Cannot open " + name() + ": already open");
    }
    opened = true;
    return parts.get(0).open();
  }

  @Override
  public boolean next(MutableRow row) {
    while (current < parts.size()) {
      if (parts.get(current).next(row)) {
        return true;
      }
      if (current == parts.size() - 1) {
        return false;
      }
      Source ended = parts.get(current);
      bytesBefore += ended.bytesRead();
      ended.close();
      current++;
      parts.get(current).open();
    }
    return false;
  }

  @Override
  public Position position() {
    return parts.get(current).position();
  }

  @Override
  public long bytesRead() {
    return bytesBefore + parts.get(current).bytesRead();
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    for (Source s : parts) {
      try {
        s.close();
      } catch (RuntimeException e) {
        failure = Failures.chain(failure, e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
