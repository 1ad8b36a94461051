package dev.parquetingest.runtime;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.internal.IoMessages;
import dev.parquetingest.internal.MeteredOutputStream;
import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.ColumnStats;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.spi.EncoderProvider;
import dev.parquetingest.spi.FileStats;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.StagedOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One data file being written: the sink's staged output, the stream metered for sink time, and the
 * encoder on it. Open ({@link Factory#open}), {@link #write} rows, then {@link #commit} or {@link
 * #abort}. Its memory is reserved in the run's {@link MemoryBudget} while it is open. As a {@link
 * FileStats} it is what the batcher sees. Used by one lane's thread only.
 */
final class RollingFile implements FileStats {
  private static final Logger LOG = LoggerFactory.getLogger(RollingFile.class);

  /** What every file of a run is opened with. Thread-safe. */
  static final class Factory {
    final Sink sink;
    final OutputNames names;
    final EncoderProvider encoder;
    final EncoderOptions options;
    final Schema schema;
    final Clock clock;
    final MemoryBudget budget;
    final Counters counters;
    final EncoderDetails details;

    /** Footer entries of every file of the run: the source and the run id. */
    private final Map<String, String> runMetadata;

    Factory(
        Sink sink,
        OutputNames names,
        EncoderProvider encoder,
        EncoderOptions options,
        Schema schema,
        Clock clock,
        MemoryBudget budget,
        Counters counters,
        EncoderDetails details,
        Map<String, String> runMetadata) {
      this.sink = sink;
      this.names = names;
      this.encoder = encoder;
      this.options = options;
      this.schema = schema;
      this.clock = clock;
      this.budget = budget;
      this.counters = counters;
      this.details = details;
      this.runMetadata = Map.copyOf(runMetadata);
    }

    /**
     * Stages {@code name} and starts an encoder on it, in a slot of the budget the caller has
     * reserved; the time goes to {@code stats}' sink time.
     */
    RollingFile open(String partition, String name, Position first, LaneStats stats) {
      return open(partition, partition, null, name, first, stats);
    }

    /**
     * As {@link #open(String, String, Position, LaneStats)}, for the file of a {@link
     * dev.parquetingest.spi.KeyedSource}'s {@code key} held under {@code slot} by its lane.
     */
    RollingFile open(
        String slot, String partition, String key, String name, Position first, LaneStats stats) {
      long t = clock.nanoTime();
      StagedOutput staged = names.create(name);
      MeteredOutputStream stream = new MeteredOutputStream(staged.stream());
      Encoder e;
      try {
        e = encoder.open(schema, stream, options);
      } catch (RuntimeException ex) {
        staged.abort();
        throw naming(staged.location(), ex);
      }
      stats.sinkNanos += clock.nanoTime() - t;
      RollingFile f =
          new RollingFile(
              this, slot, partition, key, name, staged, stream, e, first, clock.nanoTime());
      f.measure();
      return f;
    }
  }

  /** Where its lane holds it: the partition path, or (keyed) the path and the source's key. */
  final String slot;

  final String partition;

  /** The {@link dev.parquetingest.spi.KeyedSource}'s key of its records, or null. */
  final String key;

  private final String name;
  private final Factory factory;
  private final StagedOutput staged;
  private final MeteredOutputStream stream;
  private final Encoder encoder;
  private final Position first;
  private final long openedNanos;
  long rows;

  /** Memory (encoder and staged output) as last measured and added to the budget. */
  long measuredBytes;

  private RollingFile(
      Factory factory,
      String slot,
      String partition,
      String key,
      String name,
      StagedOutput staged,
      MeteredOutputStream stream,
      Encoder encoder,
      Position first,
      long openedNanos) {
    this.factory = factory;
    this.slot = slot;
    this.partition = partition;
    this.key = key;
    this.name = name;
    this.staged = staged;
    this.stream = stream;
    this.encoder = encoder;
    this.first = first;
    this.openedNanos = openedNanos;
  }

  void write(Row row) {
    try {
      encoder.write(row);
    } catch (RuntimeException e) {
      throw naming(staged.location(), e);
    }
    rows++;
  }

  /**
   * {@code e} as is, unless an I/O failure caused it (a full disk, a lost connection): then an
   * {@link IngestException} naming the file, {@code Cannot write <file>: <reason> (<what failed>)},
   * since an encoder knows only its stream.
   */
  static RuntimeException naming(String location, RuntimeException e) {
    Throwable io = e;
    while (io != null && !(io instanceof IOException)) {
      io = io.getCause();
    }
    if (io == null || (e.getMessage() != null && e.getMessage().contains(location))) {
      return e;
    }
    String reason = IoMessages.of(io);
    String what = e.getMessage() == null ? "" : e.getMessage();
    if (what.endsWith(": " + reason)) {
      what = what.substring(0, what.length() - reason.length() - 2);
    }
    if (what.startsWith("Cannot write ")) {
      what = what.substring("Cannot write ".length());
    }
    return new IngestException(
        "Cannot write "
            + location
            + ": "
            + reason
            + (what.isEmpty() || what.equals(reason) ? "" : " (" + what + ")"),
        e);
  }

  String location() {
    return staged.location();
  }

  /** Measures the encoder's and the output's memory and adds the change to the budget. */
  void measure() {
    long now = encoder.memoryBytes() + staged.bufferedBytes();
    factory.budget.add(now - measuredBytes);
    measuredBytes = now;
  }

  /**
   * Finishes the file and commits it; {@code aborted} is checked right before the commit, so a file
   * whose commit has started is either committed and acknowledged, or neither.
   *
   * @param last the source position of the file's last record
   * @throws AbortedException if {@code aborted} says so; the caller then aborts the file
   */
  CommittedFile commit(Position last, BooleanSupplier aborted, LaneStats stats) {
    Clock clock = factory.clock;
    long t0 = clock.nanoTime();
    try {
      encoder.finish(footerMetadata(last));
    } catch (RuntimeException e) {
      throw naming(staged.location(), e);
    }
    factory.details.add(encoder.details());
    List<ColumnStats> columns = Manifest.compact(encoder.columnStats());
    encoder.close();
    long t1 = clock.nanoTime();
    // Time spent in the sink's stream, during write() and finish(), belongs to the sink.
    long streamNanos = stream.nanos();
    try {
      stream.flush();
    } catch (IOException e) {
      throw new IngestException("Cannot write " + staged.location() + ": " + IoMessages.of(e), e);
    }
    if (aborted.getAsBoolean()) {
      throw new AbortedException();
    }
    long commitStart = clock.nanoTime();
    staged.commit();
    released();
    long t2 = clock.nanoTime();
    stats.encodeNanos += (t1 - t0) - streamNanos;
    stats.sinkNanos += (t2 - t1) + streamNanos;
    CommittedFile committed =
        new CommittedFile(
            staged.location(),
            name,
            rows,
            stream.bytes(),
            first == null ? null : first.describe(),
            last == null ? null : last.describe(),
            partition,
            columns);
    stats.bytesOut += stream.bytes();
    factory.counters.fileCommitted(stream.bytes(), rows, t2 - commitStart);
    LOG.debug("Committed {} ({} rows, {} bytes)", staged.location(), rows, stream.bytes());
    CrashPoints.pause(CrashPoints.AFTER_DATA_COMMIT);
    return committed;
  }

  /**
   * The runtime's footer entries of this file ({@link Encoder#finish(Map)}): the run's, and the
   * positions of the first and last record as the manifest gives them.
   */
  private Map<String, String> footerMetadata(Position last) {
    Map<String, String> kv = new LinkedHashMap<>(factory.runMetadata);
    if (first != null) {
      kv.put(Encoder.FIRST_POSITION_KEY, first.describe());
      if (first.offset() >= 0) {
        kv.put(Encoder.FIRST_OFFSET_KEY, Long.toString(first.offset()));
      }
    }
    if (last != null) {
      kv.put(Encoder.LAST_POSITION_KEY, last.describe());
      if (last.offset() >= 0) {
        kv.put(Encoder.LAST_OFFSET_KEY, Long.toString(last.offset()));
        kv.put(Encoder.LAST_LINE_KEY, Long.toString(last.line()));
      }
    }
    return kv;
  }

  /**
   * Discards the file: encoder closed, staged output aborted. With a {@code failure}, errors of
   * either step are added to it; without, they are thrown.
   */
  void abort(Throwable failure) {
    RuntimeException first = null;
    try {
      encoder.close();
    } catch (RuntimeException e) {
      first = e;
    }
    try {
      staged.abort();
    } catch (RuntimeException e) {
      first = Failures.chain(first, e);
    }
    released();
    factory.counters.fileAborted();
    if (first != null) {
      if (failure == null) {
        throw first;
      }
      failure.addSuppressed(first);
    }
  }

  /** Committed or aborted: it holds no memory and no slot. */
  private void released() {
    factory.budget.releaseFile(measuredBytes);
    measuredBytes = 0;
  }

  @Override
  public long rows() {
    return rows;
  }

  @Override
  public long bytesWritten() {
    return encoder.bytesWritten();
  }

  @Override
  public long bufferedBytes() {
    return encoder.bufferedBytes();
  }

  @Override
  public long estimatedBytes() {
    return encoder.estimatedFileSize();
  }

  @Override
  public long openedNanos() {
    return openedNanos;
  }
}
