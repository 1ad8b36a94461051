package dev.parquetingest.sqs;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What an {@link SqsSource} or one of its readers did with messages: a live view, readable from any
 * thread. A reader's counts are also added to its source's, so the source's are the sums over every
 * reader, closed ones included. Thread-safe.
 */
public final class SqsCounters {
  /** What is counted; one slot each. */
  enum Stat {
    RECEIVED,
    DELETED,
    DELETE_FAILURES,
    EXTENDED,
    RELEASED,
    RECEIVE_ERRORS
  }

  private final AtomicLongArray counts = new AtomicLongArray(Stat.values().length);
  private final SqsCounters total;

  /**
   * @param total where every count is added too, or null for a source's own sums
   */
  SqsCounters(SqsCounters total) {
    this.total = total;
  }

  void add(Stat stat, long n) {
    counts.addAndGet(stat.ordinal(), n);
    if (total != null) {
      total.add(stat, n);
    }
  }

  /** Messages received from the queue so far. */
  public long messagesReceived() {
    return counts.get(Stat.RECEIVED.ordinal());
  }

  /** Messages deleted after their acknowledgement. */
  public long messagesDeleted() {
    return counts.get(Stat.DELETED.ordinal());
  }

  /** Acknowledged messages whose delete failed (they will be delivered again). */
  public long deleteFailures() {
    return counts.get(Stat.DELETE_FAILURES.ordinal());
  }

  /** Visibility extensions sent, one per message each time. */
  public long visibilityExtensions() {
    return counts.get(Stat.EXTENDED.ordinal());
  }

  /** Messages made visible again at a close without being deleted. */
  public long messagesReleased() {
    return counts.get(Stat.RELEASED.ordinal());
  }

  /** Receive calls that failed (and were retried). */
  public long receiveErrors() {
    return counts.get(Stat.RECEIVE_ERRORS.ordinal());
  }
}
