package dev.parquetingest.spi;

/**
 * Where a record sits in its source: a line and byte offset in a file, a queue receipt, a Kafka
 * offset. Sources hand positions out and take them back in {@link Source#acknowledge}.
 * Implementations are immutable.
 */
public interface Position {
  /** A short human-readable form for reports and messages, e.g. {@code line 1812}. */
  String describe();

  /**
   * The 1-based line the record starts at, for a line-based source (a CSV file), or -1. The runtime
   * puts it into a {@link dev.parquetingest.common.BadRecordException} that a transformer raises
   * without knowing where the record came from. Default -1.
   */
  default long line() {
    return -1;
  }

  /** The byte offset of the record's first byte in its source, or -1 if unknown. Default -1. */
  default long offset() {
    return -1;
  }
}
