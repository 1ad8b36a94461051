package dev.parquetingest.spi;

import dev.parquetingest.schema.Schema;
import java.util.Map;

/**
 * A source that several workers read at once, each through its own reader, as competing consumers
 * of a queue do: every record goes to one reader. This is what lets a streaming pipeline run more
 * than one worker, and scale their number between a minimum and a maximum while it runs (see {@link
 * dev.parquetingest.ParquetIngestBuilder#workers(int, int)}).
 *
 * <p>It is not itself a {@link Source}: records are only ever read through readers. The runtime
 * calls {@link #open()} once, for the schema; then {@link #newReader()} once per worker, possibly
 * while running. A reader is opened ({@link Source#open()}), read, acknowledged and closed by its
 * worker's thread alone: its positions and acknowledgements are its own. Closing a reader retires
 * it: records it took and did not acknowledge are redelivered to other readers (for a queue, when
 * their visibility ends). {@link #close()} comes after every reader has been closed.
 */
public interface SharedSource extends AutoCloseable {
  /** The name used in messages and reports, e.g. the queue's name. */
  String name();

  /**
   * Opens the source and returns the schema of every reader's rows.
   *
   * @throws dev.parquetingest.common.BadInputException if the input cannot be read as configured
   */
  Schema open();

  /** A new reader with the schema {@link #open()} returned. Thread-safe. */
  Source newReader();

  /**
   * Records waiting to be read by any reader, if the source can tell, or -1. Read from another
   * thread for metrics and for scaling workers: thread-safe and cheap. Default -1.
   */
  default long backlog() {
    return -1;
  }

  /**
   * Records waiting per partition of the source that this process's readers own, if it has
   * partitions and can tell (a Kafka source: {@code <topic>/<partition>} to the records after the
   * reader's position up to the partition's end), else empty. Read from another thread for metrics:
   * thread-safe, cheap, never blocks. Default empty.
   */
  default Map<String, Long> backlogByPartition() {
    return Map.of();
  }

  /** Releases what the source holds; after every reader has been closed. Idempotent. */
  @Override
  void close();
}
