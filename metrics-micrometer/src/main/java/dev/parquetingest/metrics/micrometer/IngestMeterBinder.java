package dev.parquetingest.metrics.micrometer;

import dev.parquetingest.IngestMetrics;
import dev.parquetingest.common.FileCommitListener;
import dev.parquetingest.spi.SinkCounters;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * Exposes a pipeline's {@link IngestMetrics} through Micrometer: function counters for its
 * monotonic counters, gauges for the values of the moment, and a function counter per counter of
 * the sink (S3 requests by kind, retries, failures, bytes uploaded). See docs/metrics.md for the
 * meters.
 *
 * <pre>{@code
 * IngestMetrics metrics = new IngestMetrics();
 * IngestMeterBinder binder = new IngestMeterBinder(metrics, Tags.of("pipeline", "reviews"));
 * binder.bindTo(registry);
 * try (IngestHandle ingest = ParquetIngest.builder().push(schema).sink(sink)
 *     .metrics(metrics).start()) {
 *   ...
 * }
 * binder.close(); // stops the scan for new sink counters
 * }</pre>
 *
 * <p>Every meter reads the live {@link IngestMetrics} when the registry publishes or is scraped;
 * nothing is copied on a schedule, and no callback blocks (they read atomics, and the sink's {@link
 * dev.parquetingest.spi.Sink#sinkCounters()} snapshot).
 *
 * <p><b>Sink counters appear late.</b> The runtime hands the sink's counters to the metrics only
 * when a run starts, and a sink may add a key only with the first request of its kind (S3's {@code
 * s3.requests.UploadPart}, {@code s3.failed.PutObject}). So the binder scans the keys when it is
 * bound and then every {@code sinkScanInterval} (default {@link #DEFAULT_SINK_SCAN_INTERVAL}) on
 * one daemon thread, and registers a meter for each key it has not seen, in every registry it is
 * bound to; {@link #scanSinkCounters()} scans at once. No kind is registered ahead of its key: the
 * binder knows no sink's kinds, and a meter that never moves from 0 would only be noise. A reading
 * is thus at most one scan interval late for a kind's first requests; from then on it is live.
 * {@link #close()} stops the scan (the meters stay registered), as for Micrometer's Kafka binder;
 * with an interval of {@link Duration#ZERO} there is no thread and no scan but the ones asked for.
 *
 * <p>A sink counter is reported as the highest value seen: a function counter must never go down,
 * while a sink's figure may dip (S3's retries are requests minus calls, read a moment apart) or
 * restart (a later run of the same {@link IngestMetrics} with a new sink, whose count then shows
 * once it passes the old one).
 *
 * <p>Thread-safe. One binder may be bound to several registries; each gets every meter.
 */
public final class IngestMeterBinder implements MeterBinder, AutoCloseable {
  /** The start of every meter's name. */
  public static final String PREFIX = "parquet.ingest.";

  /** How often the binder looks for new sink counter keys unless told otherwise. */
  public static final Duration DEFAULT_SINK_SCAN_INTERVAL = Duration.ofSeconds(10);

  private static final AtomicInteger THREADS = new AtomicInteger();

  private final IngestMetrics metrics;
  private final Tags tags;
  private final Duration sinkScanInterval;

  // guarded by this
  private final List<MeterRegistry> registries = new ArrayList<>();
  private final Set<String> seenKeys = new HashSet<>();
  private final Set<String> seenPartitions = new LinkedHashSet<>();
  private final Map<String, SinkCounter> sinkCounters = new LinkedHashMap<>();
  private ScheduledExecutorService scanner;
  private boolean closed;

  /** A binder without extra tags that scans for new sink counters every 10 seconds. */
  public IngestMeterBinder(IngestMetrics metrics) {
    this(metrics, Tags.empty());
  }

  /**
   * A binder that scans for new sink counters every 10 seconds.
   *
   * @param tags added to every meter, e.g. {@code Tags.of("pipeline", "reviews")} to tell several
   *     pipelines apart
   */
  public IngestMeterBinder(IngestMetrics metrics, Iterable<Tag> tags) {
    this(metrics, tags, DEFAULT_SINK_SCAN_INTERVAL);
  }

  /**
   * @param tags added to every meter
   * @param sinkScanInterval how often to look for sink counter keys that appeared since the last
   *     look; {@link Duration#ZERO} for no scanning thread (then only binding and {@link
   *     #scanSinkCounters()} look)
   */
  public IngestMeterBinder(IngestMetrics metrics, Iterable<Tag> tags, Duration sinkScanInterval) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    Objects.requireNonNull(sinkScanInterval, "sinkScanInterval");
    if (sinkScanInterval.isNegative()) {
      throw new IllegalArgumentException(
          "Invalid sinkScanInterval " + sinkScanInterval + ": must not be negative");
    }
    this.sinkScanInterval = sinkScanInterval;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    counter(
        registry,
        "records.in",
        null,
        "Records read from the source (rejected and filtered ones included)",
        IngestMetrics::recordsIn);
    counter(
        registry,
        "records.out",
        null,
        "Rows written into files, committed or still open",
        IngestMetrics::recordsOut);
    counter(
        registry,
        "records.rejected",
        null,
        "Records that could not become rows and went to the rejects output",
        IngestMetrics::recordsRejected);
    counter(
        registry,
        "records.filtered",
        null,
        "Records a transformer dropped",
        IngestMetrics::recordsFiltered);
    counter(
        registry,
        "files.committed",
        null,
        "Parquet files the sink committed",
        IngestMetrics::filesCommitted);
    counter(
        registry,
        "files.aborted",
        null,
        "Files discarded after a failure or a stop past its deadline",
        IngestMetrics::filesAborted);
    counter(
        registry,
        "committed.bytes",
        BaseUnits.BYTES,
        "Bytes of the committed Parquet files",
        IngestMetrics::bytesCommitted);
    counter(
        registry,
        "memory.rolls",
        null,
        "Files committed early because the open files exceeded the memory budget",
        IngestMetrics::memoryRolls);

    gauge(
        registry,
        "files.open",
        null,
        "Files being written now, across workers and partitions",
        IngestMetrics::openFiles);
    gauge(
        registry,
        "buffered.bytes",
        BaseUnits.BYTES,
        "Bytes the open files hold in memory, as last measured",
        IngestMetrics::bufferedBytes);
    gauge(
        registry, "workers", null, "Workers (encoder threads) running now", IngestMetrics::workers);
    Gauge.builder(PREFIX + "source.backlog", metrics, IngestMeterBinder::backlog)
        .description("Records waiting in the source; no value (NaN) when the source cannot tell")
        .tags(tags)
        .strongReference(true)
        .register(registry);
    TimeGauge.builder(
            PREFIX + "source.lag",
            metrics,
            TimeUnit.MILLISECONDS,
            IngestMetrics::unacknowledgedAgeMillis)
        .description(
            "How long the oldest record read but not yet acknowledged to the source has waited")
        .tags(tags)
        .strongReference(true)
        .register(registry);

    TimeGauge.builder(
            PREFIX + "last.commit",
            metrics,
            TimeUnit.MILLISECONDS,
            IngestMetrics::lastCommitEpochMillis)
        .description(
            "When the last data file was committed, since the epoch (0 before the first):"
                + " alert when now minus this grows")
        .tags(tags)
        .strongReference(true)
        .register(registry);
    Timer commits =
        Timer.builder(PREFIX + "commit.latency")
            .description("How long the sink took to commit each data file")
            .tags(tags)
            .register(registry);
    DistributionSummary sizes =
        DistributionSummary.builder(PREFIX + "file.size")
            .baseUnit(BaseUnits.BYTES)
            .description("Size of each committed data file")
            .tags(tags)
            .register(registry);
    DistributionSummary rows =
        DistributionSummary.builder(PREFIX + "file.rows")
            .description("Rows in each committed data file")
            .tags(tags)
            .register(registry);
    FileCommitListener listener =
        (bytes, fileRows, commitNanos) -> {
          commits.record(commitNanos, TimeUnit.NANOSECONDS);
          sizes.record(bytes);
          rows.record(fileRows);
        };

    synchronized (this) {
      metrics.addFileCommitListener(listener);
      registries.add(registry);
      for (SinkCounter c : sinkCounters.values()) {
        c.register(registry);
      }
      for (String partition : seenPartitions) {
        registerPartition(registry, partition);
      }
      if (!closed && scanner == null && !sinkScanInterval.isZero()) {
        startScanner();
      }
    }
    scanSinkCounters();
  }

  /**
   * Registers a meter, in every registry bound so far, for each sink counter key that appeared
   * since the last scan, and a {@code parquet.ingest.source.partition.backlog} gauge (tag {@code
   * partition}, e.g. {@code events/3}) for each source partition that appeared in {@link
   * IngestMetrics#sourceBacklogByPartition()} (no value, NaN, while the partition is not read here,
   * e.g. after a rebalance moved it). Cheap: reads the sink's counters and the partition map once.
   * Also done every {@code sinkScanInterval} after binding, until {@link #close()}.
   */
  public void scanSinkCounters() {
    scanPartitions();
    SinkCounters typed = metrics.typedSinkCounters();
    if (!typed.isEmpty()) {
      synchronized (this) {
        for (SinkCounters.Value v : typed.values()) {
          SinkCounterNames.Mapping mapping =
              SinkCounterNames.map(typed.sink(), v.counter(), v.kind());
          if (seenKeys.add(mapping.key())) {
            add(mapping);
          }
        }
      }
      return;
    }
    // a sink that gives only flat keys
    Map<String, Long> now = metrics.sinkCounters();
    synchronized (this) {
      for (String key : now.keySet()) {
        if (!seenKeys.add(key)) {
          continue;
        }
        SinkCounterNames.Mapping mapping = SinkCounterNames.map(key);
        if (mapping == null) {
          continue;
        }
        add(mapping);
      }
    }
  }

  private void scanPartitions() {
    Map<String, Long> now = metrics.sourceBacklogByPartition();
    synchronized (this) {
      for (String partition : now.keySet()) {
        if (seenPartitions.add(partition)) {
          for (MeterRegistry registry : registries) {
            registerPartition(registry, partition);
          }
        }
      }
    }
  }

  private void registerPartition(MeterRegistry registry, String partition) {
    IngestMetrics m = metrics;
    Gauge.builder(
            PREFIX + "source.partition.backlog",
            m,
            ignored -> {
              Long v = m.sourceBacklogByPartition().get(partition);
              return v == null ? Double.NaN : v;
            })
        .description(
            "Records waiting in one partition of the source (a Kafka topic-partition's lag);"
                + " no value (NaN) while this process does not read the partition")
        .tags(tags.and("partition", partition))
        .strongReference(true)
        .register(registry);
  }

  private void add(SinkCounterNames.Mapping mapping) {
    SinkCounter c = new SinkCounter(mapping);
    sinkCounters.put(mapping.key(), c);
    for (MeterRegistry registry : registries) {
      c.register(registry);
    }
  }

  /** Stops the scan for new sink counter keys; the meters stay registered and live. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    if (scanner != null) {
      scanner.shutdownNow();
    }
  }

  /** Whether the scanning thread runs (for tests). */
  synchronized boolean scanning() {
    return scanner != null && !scanner.isShutdown();
  }

  private void startScanner() {
    scanner =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "parquet-ingest-meter-scan-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    long millis = Math.max(1, sinkScanInterval.toMillis());
    scanner.scheduleWithFixedDelay(this::scanQuietly, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** A scheduled task that throws is never run again: keep scanning whatever one scan meets. */
  private void scanQuietly() {
    try {
      scanSinkCounters();
    } catch (RuntimeException e) {
      // the next scan tries again; IngestMetrics already turns a failing sink into no counters
    }
  }

  /*
   * A registry holds the state object of a function counter or gauge weakly. The gauges hold the
   * metrics strongly, and so do the counters' functions (they close over the field rather than
   * read their argument), so the meters go on reading the metrics after the pipeline and the
   * caller have let go of them.
   */

  private void counter(
      MeterRegistry registry,
      String name,
      String baseUnit,
      String description,
      ToLongFunction<IngestMetrics> value) {
    IngestMetrics m = metrics;
    FunctionCounter.builder(PREFIX + name, m, ignored -> value.applyAsLong(m))
        .description(description)
        .baseUnit(baseUnit)
        .tags(tags)
        .register(registry);
  }

  private void gauge(
      MeterRegistry registry,
      String name,
      String baseUnit,
      String description,
      ToLongFunction<IngestMetrics> value) {
    Gauge.builder(PREFIX + name, metrics, m -> value.applyAsLong(m))
        .description(description)
        .baseUnit(baseUnit)
        .tags(tags)
        .strongReference(true)
        .register(registry);
  }

  private static double backlog(IngestMetrics m) {
    long records = m.sourceBacklog();
    return records < 0 ? Double.NaN : records;
  }

  /** One sink counter key's meter; the same instance serves every registry. */
  private final class SinkCounter {
    final SinkCounterNames.Mapping mapping;
    final AtomicLong highest = new AtomicLong();

    SinkCounter(SinkCounterNames.Mapping mapping) {
      this.mapping = mapping;
    }

    void register(MeterRegistry registry) {
      IngestMetrics m = metrics;
      FunctionCounter.builder(mapping.name(), m, ignored -> read(m))
          .description(mapping.description())
          .baseUnit(mapping.baseUnit())
          .tags(tags)
          .tags(mapping.tags())
          .register(registry);
    }

    /** The highest value of the key seen so far; see the class comment. */
    double read(IngestMetrics m) {
      Long now =
          mapping.counter() != null
              ? m.typedSinkCounters().find(mapping.counter(), mapping.kind())
              : m.sinkCounters().get(mapping.key());
      return now == null ? highest.get() : highest.accumulateAndGet(now, Math::max);
    }
  }
}
