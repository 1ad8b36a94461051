package dev.parquetingest;

import dev.parquetingest.common.DataSize;
import dev.parquetingest.internal.Encoders;
import dev.parquetingest.partition.Partitioning;
import dev.parquetingest.runtime.Clock;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Batcher;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.spi.EncoderProvider;
import dev.parquetingest.spi.SharedSource;
import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.Source;
import dev.parquetingest.spi.Transformer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Configures a pipeline; made by {@link ParquetIngest#builder()}. Each setter checks its value at
 * once and throws {@link IllegalArgumentException} naming the option and the value; {@link
 * #build()} checks what must be present. Not thread-safe.
 */
public final class ParquetIngestBuilder {
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._=-]{0,200}");

  private final PipelineOptions o = new PipelineOptions();

  ParquetIngestBuilder() {}

  /** Where records come from. Required: this, a shared o.source, or {@link #push}. */
  public ParquetIngestBuilder source(Source source) {
    o.source = Objects.requireNonNull(source, "source");
    o.shared = null;
    return this;
  }

  /**
   * Where records come from: a source that several workers read at once, each through its own
   * reader (a queue); see {@link #workers(int, int)}.
   */
  public ParquetIngestBuilder source(SharedSource source) {
    o.shared = Objects.requireNonNull(source, "source");
    o.source = null;
    return this;
  }

  /**
   * Rows come from the application instead of a source: after {@link #start()}, {@link
   * IngestHandle#offer} hands them in (copied) through a bounded queue of {@link #pushCapacity}
   * rows. The file prefix defaults to {@code push}.
   */
  public ParquetIngestBuilder push(Schema schema) {
    o.pushSchema = Objects.requireNonNull(schema, "push");
    return this;
  }

  /**
   * How many offered rows may wait for the pipeline; an offer blocks while the queue is full.
   * Larger absorbs bursts, at the cost of memory (a row's size each). Default {@value
   * ParquetIngest#DEFAULT_PUSH_CAPACITY}.
   */
  public ParquetIngestBuilder pushCapacity(int rows) {
    o.pushCapacity = (int) PipelineOptions.atLeastOne("pushCapacity", rows);
    return this;
  }

  /**
   * How long {@link IngestHandle#offer(dev.parquetingest.schema.Row)} waits for room before it
   * throws. Default 30s.
   */
  public ParquetIngestBuilder offerTimeout(Duration timeout) {
    o.offerTimeout = PipelineOptions.nonNegative("offerTimeout", timeout);
    return this;
  }

  /**
   * Registers a JVM shutdown hook that stops a started pipeline with this deadline, for embedded
   * use; the hook is removed when the pipeline is stopped otherwise. Default: no hook.
   */
  public ParquetIngestBuilder stopOnShutdown(Duration deadline) {
    o.stopOnShutdown = PipelineOptions.nonNegative("stopOnShutdown", deadline);
    return this;
  }

  /**
   * The deadline {@link IngestHandle#close()} gives the pipeline to commit its open files. Default
   * 30s.
   */
  public ParquetIngestBuilder closeDeadline(Duration deadline) {
    o.closeDeadline = PipelineOptions.nonNegative("closeDeadline", deadline);
    return this;
  }

  /** Where files go. Required, or {@link #outputDirectory}. */
  public ParquetIngestBuilder sink(Sink sink) {
    o.sink = Objects.requireNonNull(sink, "sink");
    return this;
  }

  /** Writes files into a local directory, created if missing; see {@link Sinks#localDirectory}. */
  public ParquetIngestBuilder outputDirectory(Path directory) {
    return sink(Sinks.localDirectory(Objects.requireNonNull(directory, "outputDirectory")));
  }

  /**
   * The encoder backend by name, e.g. {@code parquet-mr} or {@code arrow}. Default {@value
   * ParquetIngest#DEFAULT_ENCODER}.
   *
   * @throws IllegalArgumentException if no such backend is on the class path, listing those that
   *     are and the artifact to add
   */
  public ParquetIngestBuilder encoder(String name) {
    Objects.requireNonNull(name, "encoder");
    o.encoder = Encoders.find(name);
    o.encoderName = name;
    return this;
  }

  /** An encoder backend given directly instead of found by name, e.g. one of the application's. */
  public ParquetIngestBuilder encoder(EncoderProvider provider) {
    o.encoder = Objects.requireNonNull(provider, "encoder");
    o.encoderName = provider.name();
    return this;
  }

  /**
   * Appends one transformer instance for the whole run; transformers run in the order added. Only
   * for a single worker: {@link #build()} refuses it when {@link #workers} allows more than one,
   * since the workers would call the one instance at once. Use {@link #transform(Supplier)} then.
   */
  public ParquetIngestBuilder transform(Transformer transformer) {
    Objects.requireNonNull(transformer, "transformer");
    o.transformers.add(() -> transformer);
    o.singleTransformers++;
    return this;
  }

  /**
   * Appends a transformer made once per worker by {@code perWorker} (called when the worker starts,
   * from the run's thread), so that a transformer may keep state and reuse its output row;
   * transformers run in the order added. A stateless, thread-safe transformer may be shared
   * deliberately: {@code transform(() -> sharedTransformer)}.
   */
  public ParquetIngestBuilder transform(Supplier<? extends Transformer> perWorker) {
    Objects.requireNonNull(perWorker, "transformer supplier");
    o.transformers.add(
        () -> Objects.requireNonNull(perWorker.get(), "the transformer supplier returned null"));
    return this;
  }

  /**
   * Finish a file once its compressed size reaches about this much. Default 128MB. Ignored if a
   * custom {@link #batcher} is set.
   */
  public ParquetIngestBuilder targetFileSize(DataSize size) {
    Objects.requireNonNull(size, "targetFileSize");
    if (size.toBytes() < 1024) {
      throw new IllegalArgumentException(
          "Invalid targetFileSize " + size + ": must be at least 1KB");
    }
    o.targetFileSize = size;
    return this;
  }

  /** Finish a file once it holds this many rows. Default: no limit. */
  public ParquetIngestBuilder maxRowsPerFile(long rows) {
    o.maxRowsPerFile = PipelineOptions.atLeastOne("maxRowsPerFile", rows);
    return this;
  }

  /**
   * Finish a file once its first row is this old. Checked as rows arrive and, in a started
   * pipeline, every {@link ParquetIngest#TIMER_INTERVAL} also while none arrive. Default: none.
   */
  public ParquetIngestBuilder maxFileAge(Duration age) {
    o.maxFileAge = PipelineOptions.positive("maxFileAge", "maxFileAge", age);
    return this;
  }

  /** A custom rolling policy, replacing target size, rows and age. */
  public ParquetIngestBuilder batcher(Batcher batcher) {
    o.batcher = Objects.requireNonNull(batcher, "batcher");
    return this;
  }

  /** ZSTD level 1..22. Default {@value EncoderOptions#DEFAULT_COMPRESSION_LEVEL}. */
  public ParquetIngestBuilder compressionLevel(int level) {
    o.encoderOptions.compressionLevel(level);
    return this;
  }

  /** Row-group size; see {@link EncoderOptions.Builder#rowGroupSize}. Default 128MB. */
  public ParquetIngestBuilder rowGroupSize(DataSize size) {
    o.encoderOptions.rowGroupSize(size);
    return this;
  }

  /** Page size. Default 1MB. */
  public ParquetIngestBuilder pageSize(DataSize size) {
    o.encoderOptions.pageSize(size);
    return this;
  }

  /** Dictionary page size limit. Default 1MB. */
  public ParquetIngestBuilder dictionaryPageSize(DataSize size) {
    o.encoderOptions.dictionaryPageSize(size);
    return this;
  }

  /** Dictionary encoding on or off. Default on. */
  public ParquetIngestBuilder dictionaryEnabled(boolean enabled) {
    o.encoderOptions.dictionaryEnabled(enabled);
    return this;
  }

  /** A backend-specific setting, e.g. {@code arrow.chunk-rows}. */
  public ParquetIngestBuilder encoderProperty(String name, String value) {
    o.encoderOptions.property(name, value);
    return this;
  }

  /** What to do with a record that cannot become a row. Default {@link BadRecordPolicy#FAIL}. */
  public ParquetIngestBuilder onBadRecord(BadRecordPolicy policy) {
    o.badRecordPolicy = Objects.requireNonNull(policy, "onBadRecord");
    return this;
  }

  /**
   * The start of every file name. Default: the source's base name without extension. Letters,
   * digits, {@code . _ = -}; must start with a letter or digit.
   */
  public ParquetIngestBuilder filePrefix(String prefix) {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "Invalid filePrefix '"
              + prefix
              + "': use letters, digits, '.', '_', '=' or '-', starting with a letter or digit");
    }
    o.filePrefix = prefix;
    return this;
  }

  /** Hears of progress during the run. Default: none. */
  public ParquetIngestBuilder progressListener(ProgressListener listener) {
    o.progressListener = Objects.requireNonNull(listener, "progressListener");
    return this;
  }

  /**
   * Live counters and gauges to update while the pipeline runs (records, files, bytes, open files,
   * buffered bytes, workers, source backlog, sink requests); bind them to a Micrometer registry
   * with {@code dev.parquetingest.metrics.micrometer.IngestMeterBinder}. Default: a private
   * instance, whose final values are in the report.
   */
  public ParquetIngestBuilder metrics(IngestMetrics metrics) {
    o.metrics = Objects.requireNonNull(metrics, "metrics");
    return this;
  }

  /**
   * Routes rows to Hive-style partition directories ({@code country=DE/dt=2026-11-21}), each with
   * its own open file, named {@code <partition path>/<prefix>-<seq>.parquet}. With many partitions,
   * size the {@link #memoryBudget memory budget}; a file's records are acknowledged once every open
   * file of its worker has been committed (see docs/delivery.md).
   */
  public ParquetIngestBuilder partitionBy(Partitioning partitioning) {
    o.partitioning = Objects.requireNonNull(partitioning, "partitioning");
    return this;
  }

  /**
   * The most bytes all open files together may buffer (as their encoders report it) before the
   * largest ones are committed early, so that many open files or partitions cannot exhaust the
   * heap. Default: {@value ParquetIngest#DEFAULT_MEMORY_BUDGET_PERCENT} % of the maximum heap.
   */
  public ParquetIngestBuilder memoryBudget(DataSize budget) {
    Objects.requireNonNull(budget, "budget");
    if (budget.toBytes() < 1) {
      throw new IllegalArgumentException("Invalid memory budget " + budget + ": must be positive");
    }
    o.memoryBudget = budget;
    return this;
  }

  /**
   * How many threads read and encode in parallel. Takes effect when the source is a {@link
   * dev.parquetingest.spi.SplittableSource} (such as a large CSV file): each worker reads one part
   * and writes its own files, named {@code <prefix>-<part>-<sequence>.parquet}; with one part,
   * names stay {@code <prefix>-<sequence>.parquet}. For a {@link
   * dev.parquetingest.spi.SharedSource} (a queue, the push API), that many workers read it at once,
   * each through its own reader, named by worker as with parts. With more than one worker,
   * transformers must be given as {@link #transform(Supplier) suppliers} (one instance per worker),
   * and a custom batcher is called from several threads at once and must be thread-safe. Default 1.
   */
  public ParquetIngestBuilder workers(int workers) {
    return workers(workers, workers);
  }

  /**
   * Autoscaling workers for a {@link dev.parquetingest.spi.SharedSource}: starts {@code min} and,
   * every {@link #scaleInterval scale interval}, adds one (up to {@code max}) when the workers were
   * busy (idle under 20 % of the interval), the source's backlog is growing or above 1,000 records
   * per worker (or unknown), process CPU is under 85 % and the open files hold under 75 % of the
   * memory budget; retires the newest one (down to {@code min}) when the workers were idle most of
   * the interval (over 70 %) and the backlog is not above 1,000 records per worker. At most one
   * change per interval, then one interval without change. A retired worker commits its files,
   * acknowledges them and closes its reader. The count is the {@link IngestMetrics#workers()}
   * gauge; see docs/delivery.md. For a {@link dev.parquetingest.spi.SplittableSource}, {@code max}
   * parts are read.
   */
  public ParquetIngestBuilder workers(int min, int max) {
    if (min < 1 || max > 1024 || max < min) {
      throw new IllegalArgumentException(
          "Invalid workers " + min + ".." + max + ": need 1 <= min <= max <= 1024");
    }
    o.minWorkers = min;
    o.workers = max;
    return this;
  }

  /** How often autoscaling looks at the workers (see {@link #workers(int, int)}). Default 10 s. */
  public ParquetIngestBuilder scaleInterval(Duration interval) {
    o.scaleInterval = PipelineOptions.positive("interval", "scale interval", interval);
    return this;
  }

  /**
   * The most files open at once across all workers and partitions. When a row needs a new file and
   * this many are open, the worker first finishes and commits its least recently written file, as
   * with a memory roll. Bounds the fixed memory of open files (buffers, dictionaries, the sink's
   * buffer) under high-cardinality partitioning, where otherwise every partition seen would keep a
   * file open. Default {@value ParquetIngest#DEFAULT_MAX_OPEN_FILES}.
   */
  public ParquetIngestBuilder maxOpenFiles(int files) {
    o.maxOpenFiles = (int) PipelineOptions.atLeastOne("maxOpenFiles", files);
    return this;
  }

  /** The runtime's o.clock; tests give a fake one to run ages and timers without waiting. */
  ParquetIngestBuilder clock(Clock clock) {
    o.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** Whether to write {@code _<prefix>.report.json} beside the output. Default true. */
  public ParquetIngestBuilder writeReport(boolean write) {
    o.writeReport = write;
    return this;
  }

  /**
   * Whether a batch run ({@link ParquetIngest#run()}) replaces what an earlier run of the same file
   * prefix left in the output location: its data files (whatever its worker count or partitions),
   * rejects, manifest, report and temporary files. New files replace old ones of the same name as
   * they are committed (atomically in a local directory); the old files no new file replaced are
   * removed once the run has succeeded, so a crash in between never leaves nothing. Without it (and
   * without {@link #resume}), a run into a location that holds data files of its prefix refuses to
   * start, before reading anything. Default false; see docs/delivery.md.
   */
  public ParquetIngestBuilder overwrite(boolean overwrite) {
    o.overwrite = overwrite;
    return this;
  }

  /**
   * Whether a batch run continues an interrupted one of the same file prefix: it keeps the
   * committed data files and reads only the byte ranges of the source that none of them holds
   * (found from the files' footers, so it works without the manifest), writing new files under new
   * names, then the manifest of all files and the report. Every record ends up in exactly one file.
   * Needs a source that reads byte ranges (a CSV file, not a stream) and a sink that lists (a local
   * directory); not with {@link #partitionBy}. Default false; see docs/delivery.md.
   */
  public ParquetIngestBuilder resume(boolean resume) {
    o.resume = resume;
    return this;
  }

  /**
   * @throws IllegalStateException if the source or the sink is missing
   */
  public ParquetIngest build() {
    o.check();
    return new ParquetIngest(o);
  }

  /** Builds and runs; see {@link ParquetIngest#run()}. */
  public IngestReport run() {
    return build().run();
  }

  /** Builds and starts; see {@link ParquetIngest#start()}. */
  public IngestHandle start() {
    return build().start();
  }
}
