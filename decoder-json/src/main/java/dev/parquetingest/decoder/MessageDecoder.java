package dev.parquetingest.decoder;

import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;

/**
 * Turns the body of one message (an SQS message body, a Kafka record value) into a row. {@link
 * JsonMessageDecoder} reads JSON objects; an application with another format implements this.
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

  /**
   * Fills {@code row} from the UTF-8 bytes {@code body[offset, offset + length)}, as {@link
   * #decode(String, MutableRow)} does; for sources that receive bytes (Kafka). The default decodes
   * the bytes to a string first; a decoder that reads bytes directly overrides it.
   *
   * @throws MessageDecodeException as {@link #decode(String, MutableRow)} does
   */
  default void decode(byte[] body, int offset, int length, MutableRow row) {
    decode(new String(body, offset, length, java.nio.charset.StandardCharsets.UTF_8), row);
  }
}
