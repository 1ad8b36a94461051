package dev.parquetingest.spi;

/**
 * Where finished files go: a local directory, an object store. Thread-safe: files may be staged
 * from several threads at once.
 */
public interface Sink extends AutoCloseable {
  /** Where files go, for messages and the report, e.g. {@code /data/out}. */
  String describe();

  /**
   * Starts a new file named {@code name} (a relative name such as {@code reviews-00000.parquet}).
   *
   * @throws dev.parquetingest.IngestException if the file cannot be staged
   */
  StagedOutput create(String name);

  /** Whether a committed file with this name exists, so a run can refuse to start early. */
  boolean exists(String name);

  /**
   * Counters for the run report and the live metrics, e.g. requests by kind and bytes uploaded.
   * Read at the end of a run and, through {@link dev.parquetingest.IngestMetrics#sinkCounters()},
   * from metric threads at any time: thread-safe, cheap, non-blocking, and each counter never
   * decreasing. Default none.
   */
  default java.util.Map<String, Long> counters() {
    return java.util.Map.of();
  }

  @Override
  default void close() {}
}
