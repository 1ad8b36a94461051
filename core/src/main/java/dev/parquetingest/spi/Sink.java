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
   * @throws dev.parquetingest.common.IngestException if the file cannot be staged
   */
  StagedOutput create(String name);

  /** Whether a committed file with this name exists, so a run can refuse to start early. */
  boolean exists(String name);

  /**
   * Starts a new file that, if {@code replace}, replaces a committed file of the same name when it
   * is committed (atomically where the sink can; the default removes the old file first).
   *
   * @throws dev.parquetingest.common.IngestException if the file cannot be staged
   */
  default StagedOutput create(String name, boolean replace) {
    if (replace && exists(name)) {
      delete(name);
    }
    return create(name);
  }

  /**
   * Whether {@link #list}, {@link #delete} and {@link #readTail} work, which a rerun's checks,
   * {@code overwrite} and {@code resume} need. Default false.
   */
  default boolean listable() {
    return false;
  }

  /**
   * The names (relative, {@code /}-separated, partition directories included) of every file the
   * sink holds, temporary ones included, whose own name (the part after the last {@code /}) passes
   * {@code fileName}; in no particular order.
   *
   * @throws UnsupportedOperationException unless {@link #listable()}
   */
  default java.util.List<String> list(java.util.function.Predicate<String> fileName) {
    throw new UnsupportedOperationException("Cannot list " + describe());
  }

  /**
   * Removes a file (committed or temporary) if it exists, then directories it leaves empty.
   *
   * @throws UnsupportedOperationException unless {@link #listable()}
   */
  default void delete(String name) {
    throw new UnsupportedOperationException("Cannot delete from " + describe());
  }

  /**
   * The size in bytes of a committed file.
   *
   * @throws UnsupportedOperationException unless {@link #listable()}
   */
  default long size(String name) {
    throw new UnsupportedOperationException("Cannot read from " + describe());
  }

  /**
   * The last {@code length} bytes of a committed file (all of it if shorter), e.g. a Parquet
   * footer.
   *
   * @throws UnsupportedOperationException unless {@link #listable()}
   */
  default byte[] readTail(String name, int length) {
    throw new UnsupportedOperationException("Cannot read from " + describe());
  }

  /**
   * Typed counters for the live metrics and the run report, e.g. requests by kind and bytes
   * uploaded. Read at the end of a run and, through {@link
   * dev.parquetingest.IngestMetrics#typedSinkCounters()}, from metric threads at any time:
   * thread-safe, cheap, non-blocking, and each counter never decreasing. Default none.
   */
  default SinkCounters sinkCounters() {
    return SinkCounters.none();
  }

  /**
   * Counters for the run report ({@link dev.parquetingest.IngestReport#sinkCounters()}) as flat
   * keys, with the same contract as {@link #sinkCounters()}. The default is {@link
   * #sinkCounters()}{@code .toMap()}. A sink that overrides only this method (the form before
   * {@link SinkCounters}) still reaches the report, and metric facades map its keys by their {@code
   * <sink>.<counter>[.<kind>]} form.
   */
  default java.util.Map<String, Long> counters() {
    return sinkCounters().toMap();
  }

  @Override
  default void close() {}
}
