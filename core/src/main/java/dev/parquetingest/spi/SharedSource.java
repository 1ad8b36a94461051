package dev.parquetingest.spi;

/**
 * A source that several workers read at once, each through its own reader, as competing consumers
 * of a queue do: every record goes to one reader. This is what lets a streaming pipeline run more
 * than one worker, and scale their number between a minimum and a maximum while it runs (see
 * {@link dev.parquetingest.ParquetIngest.Builder#workers(int, int)}).
 *
 * <p>The runtime calls {@link #open()} on this object once, for the schema, and never reads it
 * directly; then {@link #newReader()} once per worker, possibly while running. A reader is opened
 * ({@link #open()}), read, acknowledged and closed by its worker's thread alone: its positions and
 * acknowledgements are its own. Closing a reader retires it: records it took and did not
 * acknowledge are redelivered to other readers (for a queue, when their visibility ends). {@link
 * #backlog()} of this object is the backlog of the whole source; {@link #close()} comes after every
 * reader has been closed.
 */
public interface SharedSource extends Source {
  /** A new reader with the schema {@link #open()} returned. Thread-safe. */
  Source newReader();
}
