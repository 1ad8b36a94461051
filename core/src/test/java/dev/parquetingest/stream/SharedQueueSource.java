package dev.parquetingest.stream;

import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.SharedSource;
import dev.parquetingest.spi.Source;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake queue read by competing readers: every id goes to one reader. Each reader's positions
 * count what it took; it checks acknowledgements never go backwards nor beyond what it took.
 * Thread-safe where the runtime needs it.
 */
final class SharedQueueSource implements SharedSource {
  private final LinkedBlockingQueue<Long> queue = new LinkedBlockingQueue<>();
  final List<Reader> readers = new CopyOnWriteArrayList<>();
  final AtomicLong acknowledged = new AtomicLong();

  void put(long id) {
    queue.add(id);
  }

  int waiting() {
    return queue.size();
  }

  @Override
  public Source newReader() {
    Reader r = new Reader();
    readers.add(r);
    return r;
  }

  @Override
  public String name() {
    return "shared-queue";
  }

  @Override
  public Schema open() {
    return QueueSource.SCHEMA;
  }

  @Override
  public long backlog() {
    return queue.size();
  }

  @Override
  public void close() {}

  final class Reader implements Source {
    volatile long taken;
    volatile long readerAcknowledged;
    volatile boolean closed;

    @Override
    public String name() {
      return "shared-queue reader";
    }

    @Override
    public Schema open() {
      return QueueSource.SCHEMA;
    }

    @Override
    public boolean next(MutableRow row) {
      throw new AssertionError("a started pipeline must poll");
    }

    @Override
    public Poll poll(MutableRow row, long timeout, TimeUnit unit) {
      if (closed) {
        throw new AssertionError("poll after close");
      }
      Long id;
      try {
        id = queue.poll(timeout, unit);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Poll.IDLE;
      }
      if (id == null) {
        return Poll.IDLE;
      }
      row.setLong(0, id);
      taken++;
      return Poll.RECORD;
    }

    @Override
    public Position position() {
      long n = taken;
      return () -> "record " + n;
    }

    @Override
    public void acknowledge(Position position) {
      long upTo = Long.parseLong(position.describe().substring("record ".length()));
      if (upTo < readerAcknowledged || upTo > taken) {
        throw new AssertionError("acknowledged " + upTo + " after " + readerAcknowledged);
      }
      acknowledged.addAndGet(upTo - readerAcknowledged);
      readerAcknowledged = upTo;
    }

    @Override
    public long backlog() {
      return queue.size();
    }

    @Override
    public long bytesRead() {
      return taken * 8;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
