package dev.parquetingest.metrics.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.IngestMetrics;
import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.Sinks;
import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.SinkCounters;
import dev.parquetingest.spi.SinkCounters.Counter;
import dev.parquetingest.spi.StagedOutput;
import dev.parquetingest.testing.Await;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a sink's typed counters become meters. The sink is a local directory whose {@link
 * Sink#sinkCounters()} returns what the test puts there, under the S3 sink's name: the thing under
 * test is the mapping and the late registration, not S3. A sink that gives only flat keys ({@link
 * Sink#counters()}, the older form) is mapped by its keys.
 */
class IngestMeterBinderSinkCountersTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  /** A local directory reporting the typed counters the test sets, as sink {@code s3}. */
  private static final class CountingSink implements Sink {
    record Key(Counter counter, String kind) {}

    final Sink delegate;
    final Map<Key, Long> counters = new ConcurrentHashMap<>();

    CountingSink(Path dir) {
      this.delegate = Sinks.localDirectory(dir);
    }

    @Override
    public String describe() {
      return delegate.describe();
    }

    @Override
    public StagedOutput create(String name) {
      return delegate.create(name);
    }

    @Override
    public boolean exists(String name) {
      return delegate.exists(name);
    }

    void put(Counter counter, long value) {
      counters.put(new Key(counter, null), value);
    }

    void put(Counter counter, String kind, long value) {
      counters.put(new Key(counter, kind), value);
    }

    @Override
    public SinkCounters sinkCounters() {
      SinkCounters.Builder b = SinkCounters.builder("s3");
      counters.forEach(
          (k, v) -> {
            if (k.kind() == null) {
              b.add(k.counter(), v);
            } else {
              b.add(k.counter(), k.kind(), v);
            }
          });
      return b.build();
    }
  }

  /** A local directory giving only flat counter keys, the form before typed counters. */
  private static final class FlatSink implements Sink {
    final Sink delegate;
    final Map<String, Long> counters = new ConcurrentHashMap<>();

    FlatSink(Path dir) {
      this.delegate = Sinks.localDirectory(dir);
    }

    @Override
    public String describe() {
      return delegate.describe();
    }

    @Override
    public StagedOutput create(String name) {
      return delegate.create(name);
    }

    @Override
    public boolean exists(String name) {
      return delegate.exists(name);
    }

    @Override
    public Map<String, Long> counters() {
      return Map.copyOf(counters);
    }
  }

  private static IngestReport run(Sink sink, IngestMetrics metrics) {
    return ParquetIngest.builder()
        .source(new RowsSource(100, 0))
        .sink(sink)
        .encoder("parquet-mr")
        .metrics(metrics)
        .run();
  }

  @Test
  void sinkCountersBecomeTaggedCountersAndLateKeysAppearOnTheNextScan(@TempDir Path dir) {
    IngestMetrics metrics = new IngestMetrics();
    MeterRegistry registry = new SimpleMeterRegistry();
    CountingSink sink = new CountingSink(dir);
    IngestMeterBinder binder =
        new IngestMeterBinder(metrics, Tags.of("pipeline", "p"), Duration.ZERO);
    binder.bindTo(registry);
    assertThat(sinkMeters(registry)).isEmpty();

    sink.put(Counter.REQUESTS, "PutObject", 3L);
    sink.put(Counter.RETRIES, 1L);
    sink.put(Counter.BYTES_UPLOADED, 4_096L);
    sink.put(Counter.FILES_COMMITTED, 2L);
    sink.put(Counter.FILES_ABORTED, 0L);
    IngestReport report = run(sink, metrics);
    assertThat(report.sinkCounters()).containsEntry("s3.requests.PutObject", 3L);
    // the run handed the sink's counters to the metrics; nothing registered them yet
    assertThat(sinkMeters(registry)).isEmpty();

    binder.scanSinkCounters();

    assertThat(sinkCount(registry, "parquet.ingest.sink.requests", "kind", "PutObject"))
        .isEqualTo(3);
    assertThat(sinkCount(registry, "parquet.ingest.sink.retries")).isEqualTo(1);
    assertThat(sinkCount(registry, "parquet.ingest.sink.uploaded.bytes")).isEqualTo(4_096);
    assertThat(sinkCount(registry, "parquet.ingest.sink.files.committed")).isEqualTo(2);
    assertThat(sinkCount(registry, "parquet.ingest.sink.files.aborted")).isZero();
    assertThat(registry.get("parquet.ingest.sink.uploaded.bytes").meter().getId().getBaseUnit())
        .isEqualTo("bytes");
    // the total of the requests is a sum over kinds, not a second meter without the kind tag
    assertThat(sinkMeters(registry)).hasSize(5);
    for (Meter m : sinkMeters(registry)) {
      assertThat(m).isInstanceOf(FunctionCounter.class);
      assertThat(m.getId().getTag("sink")).isEqualTo("s3");
      assertThat(m.getId().getTag("pipeline")).isEqualTo("p");
      assertThat(m.getId().getDescription()).isNotBlank();
    }

    // a known key is read live; a new kind waits for the next scan
    sink.put(Counter.REQUESTS, "PutObject", 5L);
    sink.put(Counter.REQUESTS, "UploadPart", 7L);
    sink.put(Counter.FAILURES, "CompleteMultipartUpload", 1L);
    assertThat(sinkCount(registry, "parquet.ingest.sink.requests", "kind", "PutObject"))
        .isEqualTo(5);
    assertThat(registry.find("parquet.ingest.sink.requests").tag("kind", "UploadPart").meter())
        .isNull();

    binder.scanSinkCounters();

    assertThat(sinkCount(registry, "parquet.ingest.sink.requests", "kind", "UploadPart"))
        .isEqualTo(7);
    assertThat(
            sinkCount(registry, "parquet.ingest.sink.failures", "kind", "CompleteMultipartUpload"))
        .isEqualTo(1);
    assertThat(sinkMeters(registry)).hasSize(7);

    // a counter never goes down: a dip (or a new sink's restart) shows the highest value seen
    sink.put(Counter.RETRIES, 0L);
    assertThat(sinkCount(registry, "parquet.ingest.sink.retries")).isEqualTo(1);
    sink.put(Counter.RETRIES, 4L);
    assertThat(sinkCount(registry, "parquet.ingest.sink.retries")).isEqualTo(4);
  }

  @Test
  void theScanThreadRegistersLateKeysUntilClosed(@TempDir Path dir) {
    IngestMetrics metrics = new IngestMetrics();
    MeterRegistry registry = new SimpleMeterRegistry();
    CountingSink sink = new CountingSink(dir);
    IngestMeterBinder binder = new IngestMeterBinder(metrics, Tags.empty(), Duration.ofMillis(10));
    try {
      binder.bindTo(registry);
      assertThat(binder.scanning()).isTrue();
      run(sink, metrics);
      sink.put(Counter.REQUESTS, "PutObject", 2L);

      await(() -> registry.find("parquet.ingest.sink.requests").meter() != null);
      assertThat(sinkCount(registry, "parquet.ingest.sink.requests", "kind", "PutObject"))
          .isEqualTo(2);

      // a registry bound later gets the sink meters found so far at once
      MeterRegistry later = new SimpleMeterRegistry();
      binder.bindTo(later);
      assertThat(sinkCount(later, "parquet.ingest.sink.requests", "kind", "PutObject"))
          .isEqualTo(2);
    } finally {
      binder.close();
    }
    assertThat(binder.scanning()).isFalse();
    // the meters outlive the scan
    sink.put(Counter.REQUESTS, "PutObject", 9L);
    assertThat(sinkCount(registry, "parquet.ingest.sink.requests", "kind", "PutObject"))
        .isEqualTo(9);
  }

  @Test
  void zeroIntervalStartsNoThread() {
    IngestMeterBinder binder =
        new IngestMeterBinder(new IngestMetrics(), Tags.empty(), Duration.ZERO);
    binder.bindTo(new SimpleMeterRegistry());
    assertThat(binder.scanning()).isFalse();
  }

  @Test
  void aSinkGivingOnlyFlatKeysIsMappedByItsKeys(@TempDir Path dir) {
    IngestMetrics metrics = new IngestMetrics();
    MeterRegistry registry = new SimpleMeterRegistry();
    FlatSink sink = new FlatSink(dir);
    IngestMeterBinder binder = new IngestMeterBinder(metrics, Tags.empty(), Duration.ZERO);
    binder.bindTo(registry);
    sink.counters.putAll(
        Map.of("gcs.requests.Insert", 3L, "gcs.requests", 3L, "gcs.bytesUploaded", 4_096L));
    IngestReport report = run(sink, metrics);
    assertThat(report.sinkCounters()).containsEntry("gcs.requests.Insert", 3L);

    binder.scanSinkCounters();

    assertThat(sinkCount(registry, "parquet.ingest.sink.requests", "kind", "Insert")).isEqualTo(3);
    assertThat(sinkCount(registry, "parquet.ingest.sink.uploaded.bytes")).isEqualTo(4_096);
    assertThat(sinkMeters(registry)).hasSize(2);
    sink.counters.put("gcs.bytesUploaded", 8_192L);
    assertThat(sinkCount(registry, "parquet.ingest.sink.uploaded.bytes")).isEqualTo(8_192);
  }

  @Test
  void typedCountersMapToTheirNamesTagsAndUnits() {
    SinkCounterNames.Mapping put = SinkCounterNames.map("s3", Counter.REQUESTS, "PutObject");
    assertThat(put.name()).isEqualTo("parquet.ingest.sink.requests");
    assertThat(put.tags()).isEqualTo(Tags.of("sink", "s3", "kind", "PutObject"));
    assertThat(put.baseUnit()).isNull();

    SinkCounterNames.Mapping failed = SinkCounterNames.map("s3", Counter.FAILURES, "UploadPart");
    assertThat(failed.name()).isEqualTo("parquet.ingest.sink.failures");
    assertThat(failed.tags()).isEqualTo(Tags.of("sink", "s3", "kind", "UploadPart"));

    SinkCounterNames.Mapping bytes = SinkCounterNames.map("s3", Counter.BYTES_UPLOADED, null);
    assertThat(bytes.name()).isEqualTo("parquet.ingest.sink.uploaded.bytes");
    assertThat(bytes.baseUnit()).isEqualTo("bytes");

    assertThat(SinkCounterNames.map("gcs", Counter.FILES_COMMITTED, null).name())
        .isEqualTo("parquet.ingest.sink.files.committed");
    assertThat(SinkCounterNames.map("gcs", Counter.FILES_COMMITTED, null).tags())
        .isEqualTo(Tags.of("sink", "gcs"));
    assertThat(SinkCounterNames.map("s3", Counter.FILES_ABORTED, null).name())
        .isEqualTo("parquet.ingest.sink.files.aborted");
    assertThat(SinkCounterNames.map("s3", Counter.RETRIES, null).name())
        .isEqualTo("parquet.ingest.sink.retries");
  }

  @Test
  void keysMapToDottedNamesTagsAndUnits() {
    assertThat(SinkCounterNames.map("s3.requests")).isNull();

    SinkCounterNames.Mapping put = SinkCounterNames.map("s3.requests.PutObject");
    assertThat(put.name()).isEqualTo("parquet.ingest.sink.requests");
    assertThat(put.tags()).isEqualTo(Tags.of("sink", "s3", "kind", "PutObject"));
    assertThat(put.baseUnit()).isNull();

    SinkCounterNames.Mapping failed = SinkCounterNames.map("s3.failed.UploadPart");
    assertThat(failed.name()).isEqualTo("parquet.ingest.sink.failures");
    assertThat(failed.tags()).isEqualTo(Tags.of("sink", "s3", "kind", "UploadPart"));

    SinkCounterNames.Mapping bytes = SinkCounterNames.map("s3.bytesUploaded");
    assertThat(bytes.name()).isEqualTo("parquet.ingest.sink.uploaded.bytes");
    assertThat(bytes.baseUnit()).isEqualTo("bytes");

    assertThat(SinkCounterNames.map("gcs.filesCommitted").name())
        .isEqualTo("parquet.ingest.sink.files.committed");
    assertThat(SinkCounterNames.map("gcs.filesCommitted").tags()).isEqualTo(Tags.of("sink", "gcs"));
    assertThat(SinkCounterNames.map("uploads").tags()).isEqualTo(Tags.of("sink", "unknown"));
    assertThat(SinkCounterNames.map("uploads").name()).isEqualTo("parquet.ingest.sink.uploads");

    assertThat(SinkCounterNames.dotted("bytesUploaded")).isEqualTo("bytes.uploaded");
    assertThat(SinkCounterNames.dotted("HTTPErrors")).isEqualTo("http.errors");
    assertThat(SinkCounterNames.dotted("parts_inFlight")).isEqualTo("parts.in.flight");
    assertThat(SinkCounterNames.dotted("..")).isEmpty();
  }

  private static List<Meter> sinkMeters(MeterRegistry registry) {
    return registry.getMeters().stream()
        .filter(m -> m.getId().getName().startsWith("parquet.ingest.sink."))
        .toList();
  }

  private static double sinkCount(MeterRegistry registry, String name, String... tags) {
    return registry.get(name).tags(tags).functionCounter().count();
  }

  private static void await(BooleanSupplier condition) {
    Await.until(PATIENCE, condition);
  }
}
