package dev.parquetingest.decoder;

/**
 * A message body that cannot become a row. The source turns it into a {@link
 * dev.parquetingest.common.BadRecordException} carrying where the message came from (the queue and
 * message id; the topic, partition and offset), the raw body and this reason. Unchecked.
 */
public final class MessageDecodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String column;

  /**
   * @param problem what is wrong, e.g. {@code Cannot read column 'count' as int32: "ten"}
   * @param column the offending column, or null if the body as a whole is bad
   */
  public MessageDecodeException(String problem, String column) {
    super(problem);
    this.column = column;
  }

  /** The offending column, or null. */
  public String column() {
    return column;
  }
}
