package dev.parquetingest.spi;

import dev.parquetingest.BadRecordException;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;

/**
 * Yields records as rows, each with a {@link Position}.
 *
 * <p>Lifecycle: {@link #open()} once, then {@link #next} until it returns false, then {@link
 * #close()} (idempotent). Called from one thread at a time.
 *
 * <p>Delivery: the runtime calls {@link #acknowledge} with the position of the last record of a
 * file only after that file has been committed, so a source that can replay from its last
 * acknowledged position gets at-least-once delivery.
 */
public interface Source extends AutoCloseable {
  /** The name used in messages and reports, e.g. the file name. */
  String name();

  /**
   * Opens the source and returns the schema of its rows.
   *
   * @throws dev.parquetingest.BadInputException if the input cannot be read as configured
   */
  Schema open();

  /**
   * Reads the next record into {@code row} (which has the schema {@link #open()} returned).
   *
   * @return false at the end of the input
   * @throws BadRecordException for a record that cannot become a row; the source has moved past
   *     it, so the next call reads the record after it
   */
  boolean next(MutableRow row);

  /** The position of the record last read by {@link #next} (also of a bad one). */
  Position position();

  /** Every record up to and including {@code position} is durably delivered. */
  default void acknowledge(Position position) {}

  /** Bytes consumed from the input so far, for the report and progress. */
  long bytesRead();

  /** The total size of the input in bytes if known, or -1 (for progress). */
  default long sizeHint() {
    return -1;
  }

  @Override
  void close();
}
