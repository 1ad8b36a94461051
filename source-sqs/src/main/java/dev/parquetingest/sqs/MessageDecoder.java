package dev.parquetingest.sqs;

import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;

/**
 * Turns the body of one SQS message into a row. {@link JsonMessageDecoder} reads JSON objects; an
 * application with another format implements this.
 *
 * <p>Called from the pipeline's thread only, one message at a time, so an implementation may keep
 * reusable state; it need not be thread-safe.
 */
public interface MessageDecoder {
  /** The schema of every row {@link #decode} fills. */
  Schema schema();

  /**
   * Fills {@code row} (of {@link #schema()}, possibly holding the previous message's values) from
   * {@code body}.
   *
   * @throws MessageDecodeException if the body cannot become a row; the message then goes to the
   *     rejects output (or fails the run, by the bad-record policy)
   */
  void decode(String body, MutableRow row);
}
