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
   * The size in bytes of the committed file {@code name}, for a source that resumes from what the
   * output holds (see {@link KeyedSource#alreadyWritten}); -1 if the sink cannot read files back
   * (the default) or the file does not exist.
   *
   * @throws dev.parquetingest.common.IngestException if the sink cannot tell
   */
  default long committedSize(String name) {
    return -1;
  }

  /**
   * {@code length} bytes of the committed file {@code name} from byte {@code offset}: a Parquet
   * footer, for a source that resumes from what the output holds.
   *
   * @throws UnsupportedOperationException if the sink cannot read files back (the default; then
   *     {@link #committedSize} is -1)
   * @throws dev.parquetingest.common.IngestException if the bytes cannot be read
   */
  default byte[] readCommitted(String name, long offset, int length) {
    throw new UnsupportedOperationException("Cannot read " + name + " back from " + describe());
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
