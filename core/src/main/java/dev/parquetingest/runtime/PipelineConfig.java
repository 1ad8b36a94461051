package dev.parquetingest.runtime;

import dev.parquetingest.partition.Partitioning;
import dev.parquetingest.spi.Batcher;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.spi.EncoderProvider;
import dev.parquetingest.spi.SharedSource;
import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.Source;
import dev.parquetingest.spi.Transformer;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A pipeline's settings, validated and complete: what {@code ParquetIngestBuilder.build()} produces
 * and the runtime reads. Immutable and thread-safe (the source, sink and plug-ins it holds are the
 * caller's). Not API: the builder is the way to make one.
 */
public final class PipelineConfig {
  /** The settings to copy; filled by the builder, then handed to the constructor. */
  public static final class Values {
    public Source source;
    public SharedSource shared;
    public PushSource push;
    public Sink sink;
    public String encoderName;
    public EncoderProvider encoder;
    public EncoderOptions encoderOptions;
    public List<Supplier<Transformer>> transformers = List.of();
    public Batcher batcher;
    public boolean rejectBadRecords;
    public String filePrefix;
    public ProgressSink progress;
    public Counters counters;
    public Partitioning partitioning;
    public long memoryBudgetBytes;
    public int maxOpenFiles;
    public boolean writeReport;
    public boolean overwrite;
    public boolean resume;
    public int workers;
    public int minWorkers;
    public Duration scaleInterval;
    public Duration idleAcknowledgeAge;
    public Duration timerInterval;
    public Duration progressInterval;
    public Clock clock = Clock.SYSTEM;

    /** The options as the run uses them, defaults resolved, for the report; by name. */
    public Map<String, String> effectiveOptions = Map.of();
  }

  private final Source source;
  private final SharedSource shared;
  private final PushSource push;
  private final Sink sink;
  private final String encoderName;
  private final EncoderProvider encoder;
  private final EncoderOptions encoderOptions;
  private final List<Supplier<Transformer>> transformers;
  private final Batcher batcher;
  private final boolean rejectBadRecords;
  private final String filePrefix;
  private final ProgressSink progress;
  private final Counters counters;
  private final Partitioning partitioning;
  private final long memoryBudgetBytes;
  private final int maxOpenFiles;
  private final boolean writeReport;
  private final boolean overwrite;
  private final boolean resume;
  private final int workers;
  private final int minWorkers;
  private final Duration scaleInterval;
  private final Duration idleAcknowledgeAge;
  private final Duration timerInterval;
  private final Duration progressInterval;
  private final Clock clock;
  private final Map<String, String> effectiveOptions;

  public PipelineConfig(Values v) {
    this.push = v.push;
    this.shared = v.push != null ? v.push : v.shared;
    this.source = v.source;
    if ((source == null) == (shared == null)) {
      throw new IllegalArgumentException("Cannot configure a pipeline: need one source");
    }
    this.sink = Objects.requireNonNull(v.sink, "sink");
    this.encoderName = Objects.requireNonNull(v.encoderName, "encoderName");
    this.encoder = Objects.requireNonNull(v.encoder, "encoder");
    this.encoderOptions = Objects.requireNonNull(v.encoderOptions, "encoderOptions");
    this.transformers = List.copyOf(v.transformers);
    this.batcher = Objects.requireNonNull(v.batcher, "batcher");
    this.rejectBadRecords = v.rejectBadRecords;
    this.filePrefix = Objects.requireNonNull(v.filePrefix, "filePrefix");
    this.progress = v.progress;
    this.counters = Objects.requireNonNull(v.counters, "counters");
    this.partitioning = v.partitioning;
    this.memoryBudgetBytes = v.memoryBudgetBytes;
    this.maxOpenFiles = v.maxOpenFiles;
    this.writeReport = v.writeReport;
    this.overwrite = v.overwrite;
    this.resume = v.resume;
    this.workers = v.workers;
    this.minWorkers = v.minWorkers;
    this.scaleInterval = Objects.requireNonNull(v.scaleInterval, "scaleInterval");
    this.idleAcknowledgeAge = Objects.requireNonNull(v.idleAcknowledgeAge, "idleAcknowledgeAge");
    this.timerInterval = Objects.requireNonNull(v.timerInterval, "timerInterval");
    this.progressInterval = Objects.requireNonNull(v.progressInterval, "progressInterval");
    this.clock = Objects.requireNonNull(v.clock, "clock");
    this.effectiveOptions = Collections.unmodifiableMap(new TreeMap<>(v.effectiveOptions));
  }

  /**
   * The options as the run uses them, defaults resolved, in key order: the report's {@code
   * options}.
   */
  public Map<String, String> effectiveOptions() {
    return effectiveOptions;
  }

  /** The source read by one lane, or split into several; null for a shared source. */
  public Source source() {
    return source;
  }

  /** The source's name, for messages, the report and the default file prefix. */
  public String sourceName() {
    return source != null ? source.name() : shared.name();
  }

  /** The push queue of a push pipeline, or null. */
  public PushSource push() {
    return push;
  }

  /** The source that several workers read through readers of their own (also push), or null. */
  public SharedSource shared() {
    return shared;
  }

  public Sink sink() {
    return sink;
  }

  public String encoderName() {
    return encoderName;
  }

  EncoderProvider encoder() {
    return encoder;
  }

  EncoderOptions encoderOptions() {
    return encoderOptions;
  }

  /** One supplier per transformer, in order; each worker calls each once. */
  List<Supplier<Transformer>> transformers() {
    return transformers;
  }

  Batcher batcher() {
    return batcher;
  }

  /** True for {@code BadRecordPolicy.REJECT}, false for {@code FAIL}. */
  boolean rejectBadRecords() {
    return rejectBadRecords;
  }

  public String filePrefix() {
    return filePrefix;
  }

  /** Where progress goes, or null. */
  ProgressSink progress() {
    return progress;
  }

  public Counters counters() {
    return counters;
  }

  Partitioning partitioning() {
    return partitioning;
  }

  long memoryBudgetBytes() {
    return memoryBudgetBytes;
  }

  int maxOpenFiles() {
    return maxOpenFiles;
  }

  boolean writeReport() {
    return writeReport;
  }

  /** Whether a batch run replaces its prefix's earlier output. */
  boolean overwrite() {
    return overwrite;
  }

  /** Whether a batch run keeps its prefix's committed files and reads only what they miss. */
  boolean resume() {
    return resume;
  }

  /** The most workers. */
  int workers() {
    return workers;
  }

  int minWorkers() {
    return minWorkers;
  }

  Duration scaleInterval() {
    return scaleInterval;
  }

  /** How long a streaming run waits before acknowledging records that produced no row. */
  Duration idleAcknowledgeAge() {
    return idleAcknowledgeAge;
  }

  /** The longest a lane waits in a poll, and the resolution of age rolls. */
  Duration timerInterval() {
    return timerInterval;
  }

  Duration progressInterval() {
    return progressInterval;
  }

  public Clock clock() {
    return clock;
  }
}
