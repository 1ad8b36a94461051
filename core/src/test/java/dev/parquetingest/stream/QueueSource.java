package dev.parquetingest.stream;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.Source;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An endless fake source: ids put by the test, read in order; remembers what was taken and the
 * highest position acknowledged. Positions are the count of records taken. {@link #put} from any
 * thread; the rest from the pipeline thread, read by the test through volatile fields.
 */
final class QueueSource implements Source {
  static final Schema SCHEMA = Schema.builder().required("id", ColumnType.int64()).build();

  private final LinkedBlockingQueue<Long> queue = new LinkedBlockingQueue<>();
  private volatile long taken;
  private volatile long acknowledged;
  private volatile int acknowledgements;
  private volatile boolean closed;

  void put(long id) {
    queue.add(id);
  }

  long taken() {
    return taken;
  }

  /** Records acknowledged: every one up to this count. */
  long acknowledged() {
    return acknowledged;
  }

  int acknowledgements() {
    return acknowledgements;
  }

  boolean closed() {
    return closed;
  }

  @Override
  public String name() {
    return "queue";
  }

  @Override
  public Schema open() {
    return SCHEMA;
  }

  @Override
  public boolean next(MutableRow row) {
    throw new AssertionError("a started pipeline must poll");
  }

  @Override
  public Poll poll(MutableRow row, long timeout, TimeUnit unit) {
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
    return new Seq(taken);
  }

  @Override
  public void acknowledge(Position position) {
    long upTo = ((Seq) position).n;
    if (upTo < acknowledged) {
      throw new AssertionError("acknowledged " + upTo + " after " + acknowledged);
    }
    acknowledged = upTo;
    acknowledgements++;
  }

  @Override
  public long bytesRead() {
    return taken * 8;
  }

  @Override
  public void close() {
    closed = true;
  }

  private static final class Seq implements Position {
    final long n;

    Seq(long n) {
      this.n = n;
    }

    @Override
    public String describe() {
      return "record " + n;
    }
  }
}
