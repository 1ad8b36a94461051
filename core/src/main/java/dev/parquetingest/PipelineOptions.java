package dev.parquetingest;

import dev.parquetingest.common.DataSize;
import dev.parquetingest.internal.Encoders;
import dev.parquetingest.partition.Partitioning;
import dev.parquetingest.runtime.Clock;
import dev.parquetingest.runtime.DefaultBatcher;
import dev.parquetingest.runtime.PipelineConfig;
import dev.parquetingest.runtime.ProgressSink;
import dev.parquetingest.runtime.PushSource;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Batcher;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.spi.EncoderProvider;
import dev.parquetingest.spi.SharedSource;
import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.Source;
import dev.parquetingest.spi.Transformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What a {@link ParquetIngestBuilder} has been told, with the defaults of what it has not: the
 * checks that need every option ({@link #check()}) and the immutable {@link PipelineConfig} made
 * from them ({@link #toConfig()}). The builder's setters check each value and document each option;
 * this class holds no API. Not thread-safe, like the builder.
 */
final class PipelineOptions {
  Source source;
  SharedSource shared;
  Sink sink;
  String encoderName = ParquetIngest.DEFAULT_ENCODER;
  EncoderProvider encoder;
  final EncoderOptions.Builder encoderOptions = EncoderOptions.builder();
  final List<Supplier<Transformer>> transformers = new ArrayList<>();

  /** How many transformers were given as one instance for the whole run. */
  int singleTransformers;

  int maxOpenFiles = ParquetIngest.DEFAULT_MAX_OPEN_FILES;
  Batcher batcher;
  DataSize targetFileSize = ParquetIngest.DEFAULT_TARGET_FILE_SIZE;
  long maxRowsPerFile = Long.MAX_VALUE;
  Duration maxFileAge;
  BadRecordPolicy badRecordPolicy = BadRecordPolicy.FAIL;
  String filePrefix;
  ProgressListener progressListener;
  IngestMetrics metrics;
  Partitioning partitioning;
  DataSize memoryBudget;
  boolean writeReport = true;
  boolean overwrite;
  boolean resume;
  int workers = 1;
  int minWorkers = 1;
  Duration scaleInterval = ParquetIngest.DEFAULT_SCALE_INTERVAL;
  Schema pushSchema;
  int pushCapacity = ParquetIngest.DEFAULT_PUSH_CAPACITY;
  Duration offerTimeout = ParquetIngest.DEFAULT_OFFER_TIMEOUT;
  Duration stopOnShutdown;
  Duration closeDeadline = IngestHandle.DEFAULT_STOP_DEADLINE;
  Clock clock = Clock.SYSTEM;

  /**
   * What must hold of the options together, and what is derived at build time.
   *
   * @throws IllegalStateException if the source or the sink is missing, or one transformer instance
   *     would be shared by several workers
   */
  void check() {
    if ((source != null || shared != null) && pushSchema != null) {
      throw new IllegalStateException(
          "Cannot build ParquetIngest: both source(...) and push(schema) are set; choose one");
    }
    if (source == null && shared == null && pushSchema == null) {
      throw new IllegalStateException(
          "Cannot build ParquetIngest: no source set (use source(...) or push(schema))");
    }
    if (sink == null) {
      throw new IllegalStateException(
          "Cannot build ParquetIngest: no sink set (use sink(...) or outputDirectory(...))");
    }
    if (singleTransformers > 0 && workers > 1) {
      throw new IllegalStateException(
          "Cannot build ParquetIngest: transform(Transformer) gives one instance to up to "
              + workers
              + " workers, which would call it at once; use transform(Supplier<Transformer>)"
              + " so that each worker gets its own (or transform(() -> transformer) for one"
              + " that is stateless and thread-safe)");
    }
    if (overwrite && resume) {
      throw new IllegalStateException(
          "Cannot build ParquetIngest: overwrite and resume are both set; choose one");
    }
    if (resume && partitioning != null) {
      throw new IllegalStateException(
          "Cannot build ParquetIngest: resume does not work with partitionBy (a partition's file"
              + " does not hold every record of its source range); use overwrite");
    }
    if ((overwrite || resume) && (shared != null || pushSchema != null)) {
      throw new IllegalStateException(
          "Cannot build ParquetIngest: overwrite and resume are for a batch run of a source(...)");
    }
    if (encoder == null) {
      encoder = Encoders.find(encoderName);
    }
    if (maxRowsPerFile != Long.MAX_VALUE) {
      encoderOptions.expectedRowsPerFile(maxRowsPerFile);
    }
  }

  /** The runtime's configuration from these options; later changes to them do not reach it. */
  PipelineConfig toConfig() {
    PipelineConfig.Values v = new PipelineConfig.Values();
    v.source = source;
    v.shared = shared;
    v.push = pushSchema != null ? new PushSource(pushSchema, pushCapacity) : null;
    v.sink = sink;
    v.encoderName = encoderName;
    v.encoder = encoder;
    v.encoderOptions = encoderOptions.build();
    v.transformers = List.copyOf(transformers);
    v.batcher =
        batcher != null ? batcher : new DefaultBatcher(targetFileSize, maxRowsPerFile, maxFileAge);
    v.rejectBadRecords = badRecordPolicy == BadRecordPolicy.REJECT;
    String sourceName =
        v.push != null ? v.push.name() : source != null ? source.name() : shared.name();
    v.filePrefix = filePrefix != null ? filePrefix : prefixFor(sourceName);
    v.progress = progressSink(progressListener);
    v.counters = (metrics != null ? metrics : new IngestMetrics()).counters;
    v.partitioning = partitioning;
    v.memoryBudgetBytes = (memoryBudget != null ? memoryBudget : defaultMemoryBudget()).toBytes();
    v.maxOpenFiles = maxOpenFiles;
    v.writeReport = writeReport;
    v.overwrite = overwrite;
    v.resume = resume;
    v.workers = workers;
    v.minWorkers = minWorkers;
    v.scaleInterval = scaleInterval;
    v.idleAcknowledgeAge =
        maxFileAge != null ? maxFileAge : ParquetIngest.DEFAULT_IDLE_ACKNOWLEDGE_AGE;
    v.timerInterval = ParquetIngest.TIMER_INTERVAL;
    v.progressInterval = ParquetIngest.PROGRESS_INTERVAL;
    v.clock = clock;
    v.effectiveOptions = effectiveOptions(v);
    return new PipelineConfig(v);
  }

  /**
   * The options the run uses, by their builder names, defaults resolved: what the report states as
   * its {@code options}. A plug-in given as an object (batcher, transformers) is named by its
   * class.
   */
  private Map<String, String> effectiveOptions(PipelineConfig.Values v) {
    Map<String, String> m = new TreeMap<>();
    m.put("encoder", encoderName);
    EncoderOptions e = v.encoderOptions;
    m.put("compressionLevel", Integer.toString(e.compressionLevel()));
    m.put("rowGroupSize", e.rowGroupSize().toString());
    m.put("pageSize", e.pageSize().toString());
    m.put("dictionaryPageSize", e.dictionaryPageSize().toString());
    m.put("dictionaryEnabled", Boolean.toString(e.dictionaryEnabled()));
    for (Map.Entry<String, String> p : e.properties().entrySet()) {
      m.put("encoderProperty." + p.getKey(), p.getValue());
    }
    if (batcher != null) {
      m.put("batcher", batcher.getClass().getName());
    } else {
      m.put("targetFileSize", targetFileSize.toString());
      m.put("maxRowsPerFile", maxRowsPerFile == Long.MAX_VALUE ? "unlimited" : "" + maxRowsPerFile);
      m.put("maxFileAge", maxFileAge == null ? "unlimited" : maxFileAge.toString());
    }
    m.put("onBadRecord", badRecordPolicy.name());
    m.put("filePrefix", v.filePrefix);
    m.put("partitionBy", partitioning == null ? "none" : partitioning.toString());
    m.put("memoryBudget", DataSize.ofBytes(v.memoryBudgetBytes).toString());
    m.put("maxOpenFiles", Integer.toString(maxOpenFiles));
    m.put("workers", minWorkers == workers ? "" + workers : minWorkers + ".." + workers);
    if (minWorkers != workers) {
      m.put("scaleInterval", scaleInterval.toString());
    }
    m.put("writeReport", Boolean.toString(writeReport));
    if (!transformers.isEmpty()) {
      m.put("transformers", Integer.toString(transformers.size()));
    }
    if (pushSchema != null) {
      m.put("pushCapacity", Integer.toString(pushCapacity));
      m.put("offerTimeout", offerTimeout.toString());
      m.put("closeDeadline", closeDeadline.toString());
    }
    if (stopOnShutdown != null) {
      m.put("stopOnShutdown", stopOnShutdown.toString());
    }
    return m;
  }

  private static ProgressSink progressSink(ProgressListener listener) {
    if (listener == null) {
      return null;
    }
    return (bytes, total, rowsRead, rowsWritten, files, elapsedNanos, done) ->
        listener.onProgress(
            new ProgressListener.Progress(
                bytes, total, rowsRead, rowsWritten, files, Duration.ofNanos(elapsedNanos), done));
  }

  static DataSize defaultMemoryBudget() {
    return DataSize.ofBytes(
        Runtime.getRuntime().maxMemory() / 100 * ParquetIngest.DEFAULT_MEMORY_BUDGET_PERCENT);
  }

  /** A file-name-safe prefix derived from a source name: its base name without extension. */
  static String prefixFor(String sourceName) {
    String base = sourceName;
    int slash = Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\'));
    base = base.substring(slash + 1);
    int dot = base.indexOf('.');
    if (dot > 0) {
      base = base.substring(0, dot);
    }
    base = base.replaceAll("[^A-Za-z0-9._=-]", "_");
    if (base.isEmpty() || !Character.isLetterOrDigit(base.charAt(0))) {
      base = "part" + base;
    }
    return base.length() > 200 ? base.substring(0, 200) : base;
  }

  static Duration nonNegative(String option, Duration d) {
    Objects.requireNonNull(d, option);
    if (d.isNegative()) {
      throw new IllegalArgumentException("Invalid " + option + " " + d + ": must not be negative");
    }
    return d;
  }

  /** {@code value}, if at least 1; "Invalid <option> <value>: must be at least 1" otherwise. */
  static long atLeastOne(String option, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(
          "Invalid " + option + " " + value + ": must be at least 1");
    }
    return value;
  }

  /**
   * {@code d}, if positive; "Invalid <name> <d>: must be positive" otherwise.
   *
   * @param option the name a null is reported with
   */
  static Duration positive(String option, String name, Duration d) {
    Objects.requireNonNull(d, option);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("Invalid " + name + " " + d + ": must be positive");
    }
    return d;
  }
}
