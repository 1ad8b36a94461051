package dev.parquetingest.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of a sink's counters, each one of a fixed set of typed {@link Counter}s, by kind where
 * the counter has kinds (requests and failures by operation, such as S3's {@code PutObject}).
 * Metric facades bind these without reading meaning back out of names; {@link #toMap()} is the flat
 * form of the run report. Immutable and thread-safe.
 */
public final class SinkCounters {
  private static final SinkCounters NONE = new SinkCounters("none", List.of());

  /** The counters a sink can report. */
  public enum Counter {
    /** Requests sent, retried attempts included, by kind. */
    REQUESTS(
        "requests",
        "requests",
        null,
        "Requests the sink sent, by kind (retried attempts included)",
        true),
    /** Calls that failed after their last attempt, by kind. */
    FAILURES(
        "failed",
        "failures",
        null,
        "Sink calls that failed after their last attempt, by kind",
        true),
    /** Requests sent again after a failed attempt. */
    RETRIES(
        "retries", "retries", null, "Requests the sink sent again after a failed attempt", false),
    /** Payload bytes the destination accepted, retried attempts not counted. */
    BYTES_UPLOADED(
        "bytesUploaded", "uploaded.bytes", "bytes", "Payload bytes the sink uploaded", false),
    /** Files made visible. */
    FILES_COMMITTED(
        "filesCommitted", "files.committed", null, "Files the sink made visible", false),
    /** Files aborted before they became visible. */
    FILES_ABORTED("filesAborted", "files.aborted", null, "Files the sink aborted", false);

    private final String key;
    private final String meterName;
    private final String baseUnit;
    private final String description;
    private final boolean byKind;

    Counter(String key, String meterName, String baseUnit, String description, boolean byKind) {
      this.key = key;
      this.meterName = meterName;
      this.baseUnit = baseUnit;
      this.description = description;
      this.byKind = byKind;
    }

    /** The word of the counter in {@link #toMap()}'s keys, e.g. {@code bytesUploaded}. */
    public String key() {
      return key;
    }

    /** The dotted name of a meter, e.g. {@code uploaded.bytes}. */
    public String meterName() {
      return meterName;
    }

    /** The base unit of a meter ({@code bytes}), or null for a count. */
    public String baseUnit() {
      return baseUnit;
    }

    /** A one-line description of the counter. */
    public String description() {
      return description;
    }

    /** Whether the counter is reported by kind (then every value has one). */
    public boolean byKind() {
      return byKind;
    }
  }

  /**
   * One counter's value.
   *
   * @param counter which counter
   * @param value its value, never decreasing from one snapshot to the next
   * @param kind the kind (an operation name) of a counter {@link Counter#byKind() by kind}, else
   *     null
   */
  public record Value(Counter counter, String kind, long value) {
    /** Checks that {@code kind} is given exactly for a counter by kind. */
    public Value {
      Objects.requireNonNull(counter, "counter");
      if (counter.byKind() != (kind != null)) {
        throw new IllegalArgumentException(
            "Invalid sink counter "
                + counter
                + (kind == null ? ": needs a kind" : ": has no kinds, got " + kind));
      }
    }
  }

  private final String sink;
  private final List<Value> values;

  private SinkCounters(String sink, List<Value> values) {
    this.sink = sink;
    this.values = values;
  }

  /** No counters. */
  public static SinkCounters none() {
    return NONE;
  }

  /** Counters of the sink named {@code sink} (a short word such as {@code s3}, a tag value). */
  public static Builder builder(String sink) {
    return new Builder(sink);
  }

  /** The sink's short name, e.g. {@code s3}. */
  public String sink() {
    return sink;
  }

  /** Every value, in the order the sink added them. */
  public List<Value> values() {
    return values;
  }

  /** Whether there are no values. */
  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** The value of {@code counter} of {@code kind} (null for a counter without kinds), or null. */
  public Long find(Counter counter, String kind) {
    for (Value v : values) {
      if (v.counter() == counter && Objects.equals(v.kind(), kind)) {
        return v.value();
      }
    }
    return null;
  }

  /**
   * The flat form, keys {@code <sink>.<counter>[.<kind>]} in the order of {@link #values()}, e.g.
   * {@code s3.requests.PutObject}, {@code s3.bytesUploaded}.
   */
  public Map<String, Long> toMap() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Value v : values) {
      String key = sink + "." + v.counter().key() + (v.kind() == null ? "" : "." + v.kind());
      out.put(key, v.value());
    }
    return Collections.unmodifiableMap(out);
  }

  @Override
  public String toString() {
    return "SinkCounters" + toMap();
  }

  /** Collects values; not thread-safe. */
  public static final class Builder {
    private final String sink;
    private final List<Value> values = new ArrayList<>();

    private Builder(String sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Adds a counter without kinds. */
    public Builder add(Counter counter, long value) {
      values.add(new Value(counter, null, value));
      return this;
    }

    /** Adds a counter of one kind. */
    public Builder add(Counter counter, String kind, long value) {
      values.add(new Value(counter, Objects.requireNonNull(kind, "kind"), value));
      return this;
    }

    /** The counters added so far. */
    public SinkCounters build() {
      return new SinkCounters(sink, List.copyOf(values));
    }
  }
}
