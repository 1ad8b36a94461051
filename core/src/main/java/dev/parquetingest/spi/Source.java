package dev.parquetingest.spi;

import dev.parquetingest.common.BadRecordException;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import java.util.concurrent.TimeUnit;

/**
 * Yields records as rows, each with a {@link Position}.
 *
 * <p>Lifecycle: {@link #open()} once, then {@link #next} until it returns false, then {@link
 * #close()} (idempotent). Called from one thread at a time.
 *
 * <p>Delivery: the runtime calls {@link #acknowledge} with the position of the last record of a
 * file only after that file has been committed, so a source that can replay from its last
 * acknowledged position gets at-least-once delivery.
 *
 * <p>Endless input: the runtime reads through {@link #poll}, which waits at most a given time. A
 * source whose records may stop arriving for a while (a queue, a socket, an application pushing
 * events) overrides it, so that the runtime regains control while idle: to roll a file by age with
 * no new data, and to stop when asked. A file source keeps the default, which calls {@link #next}.
 */
public interface Source extends AutoCloseable {
  /** The name used in messages and reports, e.g. the file name. */
  String name();

  /**
   * Opens the source and returns the schema of its rows.
   *
   * @throws dev.parquetingest.common.BadInputException if the input cannot be read as configured
   */
  Schema open();

  /**
   * Reads the next record into {@code row} (which has the schema {@link #open()} returned).
   *
   * @return false at the end of the input
   * @throws BadRecordException for a record that cannot become a row; the source has moved past it,
   *     so the next call reads the record after it
   */
  boolean next(MutableRow row);

  /** What {@link #poll} found. */
  enum Poll {
    /** A record was read into the row. */
    RECORD,
    /** No record arrived within the timeout; the input goes on. */
    IDLE,
    /** The input has ended: no record will follow. */
    END
  }

  /**
   * Reads the next record into {@code row}, waiting at most {@code timeout} for one to arrive. The
   * default calls {@link #next}, for sources that never wait long (files).
   *
   * <p>An implementation that blocks must return {@link Poll#IDLE} once the timeout has passed (and
   * also when interrupted, keeping the thread's interrupt flag), never block longer.
   *
   * @throws BadRecordException as {@link #next} does
   */
  default Poll poll(MutableRow row, long timeout, TimeUnit unit) {
    return next(row) ? Poll.RECORD : Poll.END;
  }

  /** The position of the record last read by {@link #next} or {@link #poll} (also of a bad one). */
  Position position();

  /** Every record up to and including {@code position} is durably delivered. */
  default void acknowledge(Position position) {}

  /** Bytes consumed from the input so far, for the report and progress. */
  long bytesRead();

  /**
   * Records waiting to be read, if the source can tell (a queue's approximate depth, the rows
   * offered to a push pipeline), or -1. Read from another thread for metrics and for scaling
   * workers, so it must be thread-safe and cheap (cache a remote figure).
   */
  default long backlog() {
    return -1;
  }

  /** The total size of the input in bytes if known, or -1 (for progress). */
  default long sizeHint() {
    return -1;
  }

  @Override
  void close();
}
