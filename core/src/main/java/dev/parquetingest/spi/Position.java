package dev.parquetingest.spi;

/**
 * Where a record sits in its source: a line and byte offset in a file, a queue receipt, a Kafka
 * offset. Sources hand positions out and take them back in {@link Source#acknowledge}.
 * Implementations are immutable.
 */
public interface Position {
  /** A short human-readable form for reports and messages, e.g. {@code line 1812}. */
  String describe();
}
