package dev.parquetingest.runtime;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.SharedSource;
import dev.parquetingest.spi.Source;
import dev.parquetingest.spi.Source.Poll;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The source behind the push API: rows offered by the application wait in a bounded queue until the
 * pipeline takes them. {@link #offer} copies the row into a pooled {@link MutableRow} (so the
 * caller may reuse its row at once, and a steady stream allocates nothing) and blocks while the
 * queue is full: that is the backpressure a slow sink exerts on the application.
 *
 * <p>Thread-safety: {@link #offer} may be called from any number of threads; each worker's reader
 * ({@link #newReader()}) from that worker's thread. Lifecycle: {@link #closeForOffers()} refuses
 * new rows while the queue is still drained, after which {@code poll} reports the end; {@link
 * #close()} also fails offers that are still waiting.
 */
public final class PushSource implements SharedSource {
  /** The longest an offer waits before it looks again whether the pipeline has ended. */
  private static final long OFFER_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final Schema schema;
  private final ArrayBlockingQueue<MutableRow> queue;
  private final ConcurrentLinkedQueue<MutableRow> free = new ConcurrentLinkedQueue<>();

  /** Offers between their check of {@link #accepting} and their row being in the queue. */
  private final AtomicInteger offering = new AtomicInteger();

  private volatile boolean accepting = true;
  private volatile boolean closed;
  private volatile int dropped;

  public PushSource(Schema schema, int capacity) {
    this.schema = schema;
    this.queue = new ArrayBlockingQueue<>(capacity);
  }

  /**
   * Copies {@code row} into the queue, waiting up to {@code timeoutNanos} for room.
   *
   * @return false if the queue stayed full for the whole timeout (the row was not taken)
   * @throws IllegalArgumentException if the row's schema is not the pipeline's
   * @throws IllegalStateException if the pipeline is stopping or has ended
   */
  public boolean offer(Row row, long timeoutNanos) throws InterruptedException {
    if (!row.schema().equals(schema)) {
      throw new IllegalArgumentException(
          "Cannot offer row: its schema "
              + row.schema().fields()
              + " is not the pipeline's "
              + schema.fields());
    }
    offering.incrementAndGet();
    try {
      if (!accepting) {
        throw new IllegalStateException("Cannot offer row: the ingest is stopping or has stopped");
      }
      MutableRow slot = free.poll();
      if (slot == null) {
        slot = new MutableRow(schema);
      }
      slot.copyFrom(row);
      long deadline = System.nanoTime() + timeoutNanos;
      while (true) {
        if (closed) {
          throw new IllegalStateException("Cannot offer row: the ingest has stopped");
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          free.offer(slot);
          return false;
        }
        if (queue.offer(slot, Math.min(left, OFFER_SLICE_NANOS), TimeUnit.NANOSECONDS)) {
          return true;
        }
      }
    } finally {
      offering.decrementAndGet();
    }
  }

  /** Refuses new offers; rows already accepted are still delivered to the pipeline. */
  public void closeForOffers() {
    accepting = false;
  }

  /** Rows waiting in the queue. */
  public int queued() {
    return queue.size();
  }

  @Override
  public long backlog() {
    return queue.size();
  }

  @Override
  public String name() {
    return "push";
  }

  @Override
  public Schema open() {
    return schema;
  }

  /**
   * A worker's view of the queue: the workers take rows from the one queue, each counting its own.
   * Pushed rows cannot be replayed, so acknowledgement is a no-op here as for the source.
   */
  @Override
  public Source newReader() {
    return new Reader();
  }

  /** A worker's reader: takes rows from the queue and counts them. */
  private final class Reader implements Source {
    private long taken;

    @Override
    public String name() {
      return PushSource.this.name();
    }

    @Override
    public Schema open() {
      return schema;
    }

    @Override
    public boolean next(MutableRow row) {
      while (true) {
        Poll p = poll(row, OFFER_SLICE_NANOS, TimeUnit.NANOSECONDS);
        if (p != Poll.IDLE) {
          return p == Poll.RECORD;
        }
        if (Thread.currentThread().isInterrupted()) {
          throw new IngestException("Cannot read pushed rows: interrupted");
        }
      }
    }

    @Override
    public Poll poll(MutableRow row, long timeout, TimeUnit unit) {
      Source.Poll p = take(row, timeout, unit);
      if (p == Poll.RECORD) {
        taken++;
      }
      return p;
    }

    @Override
    public Position position() {
      long n = taken;
      return () -> "row " + n + " of this worker";
    }

    @Override
    public long backlog() {
      return queue.size();
    }

    @Override
    public long bytesRead() {
      return 0;
    }

    @Override
    public void close() {}
  }

  /** Takes the next row from the queue; thread-safe. */
  private Poll take(MutableRow row, long timeout, TimeUnit unit) {
    MutableRow slot = queue.poll();
    if (slot == null) {
      // The order matters: an offer that passed its check of `accepting` is counted in
      // `offering` until its row is in the queue, so after this the queue alone decides.
      if (!accepting && offering.get() == 0 && queue.isEmpty()) {
        return Poll.END;
      }
      try {
        slot = queue.poll(timeout, unit);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Poll.IDLE;
      }
      if (slot == null) {
        return Poll.IDLE;
      }
    }
    row.copyFrom(slot);
    free.offer(slot);
    return Poll.RECORD;
  }

  /** Rows accepted by an offer but discarded by {@link #close()} before the pipeline took them. */
  public int dropped() {
    return dropped;
  }

  @Override
  public void close() {
    accepting = false;
    closed = true;
    dropped += queue.size();
    queue.clear();
  }
}
