package dev.parquetingest.metrics.micrometer;

import dev.parquetingest.spi.SinkCounters;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps a sink's typed counters ({@link dev.parquetingest.spi.Sink#sinkCounters()}) to Micrometer
 * meter names and tags under {@code parquet.ingest.sink.}, the sink's name in the tag {@code sink},
 * a kind in the tag {@code kind}, with the name, unit and description each {@link
 * SinkCounters.Counter} carries: no name is parsed. See {@link #map(String, SinkCounters.Counter,
 * String)}.
 *
 * <p>A sink that gives only flat keys ({@link dev.parquetingest.spi.Sink#counters()} overridden,
 * the form before typed counters) is mapped by {@link #map(String)}: it maps the flat counter keys
 * ({@link dev.parquetingest.spi.Sink#counters()}), which follow {@code <sink>.<counter>[.<kind>]}
 * (e.g. {@code s3.requests.PutObject}), to Micrometer meter names and tags under {@code
 * parquet.ingest.sink.}, the sink's name in the tag {@code sink}:
 *
 * <ul>
 *   <li>{@code <sink>.requests.<kind>} → {@code parquet.ingest.sink.requests}, tag {@code kind}
 *   <li>{@code <sink>.failed.<kind>} → {@code parquet.ingest.sink.failures}, tag {@code kind}
 *   <li>{@code <sink>.retries} → {@code parquet.ingest.sink.retries}
 *   <li>{@code <sink>.requests}, the sum of the requests by kind, is left out: it would be a second
 *       meter of the same name without the {@code kind} tag, which Prometheus rejects, and a query
 *       sums the kinds
 *   <li>any other {@code <sink>.<camelCase>} → {@code parquet.ingest.sink.<camel.case>}, with a
 *       {@code bytes} word moved to the end and made the base unit: {@code s3.bytesUploaded} →
 *       {@code parquet.ingest.sink.uploaded.bytes}, {@code s3.filesCommitted} → {@code
 *       parquet.ingest.sink.files.committed}
 * </ul>
 *
 * A key without a dot gets the tag {@code sink=unknown}.
 */
final class SinkCounterNames {
  static final String PREFIX = "parquet.ingest.sink.";

  private SinkCounterNames() {}

  /**
   * How one sink counter becomes a meter.
   *
   * @param counter the typed counter read, or null for a flat key ({@code key} is read)
   * @param kind the counter's kind, or null
   */
  record Mapping(
      String key,
      String name,
      Tags tags,
      String baseUnit,
      String description,
      SinkCounters.Counter counter,
      String kind) {
    Mapping(String key, String name, Tags tags, String baseUnit, String description) {
      this(key, name, tags, baseUnit, description, null, null);
    }
  }

  /**
   * The meter of a typed counter: {@code parquet.ingest.sink.<counter's meter name>}, tag {@code
   * sink}, and {@code kind} for a counter by kind.
   */
  static Mapping map(String sink, SinkCounters.Counter counter, String kind) {
    Tags tags = Tags.of("sink", sink);
    if (kind != null) {
      tags = tags.and("kind", kind);
    }
    String key = sink + "." + counter.key() + (kind == null ? "" : "." + kind);
    return new Mapping(
        key,
        PREFIX + counter.meterName(),
        tags,
        counter.baseUnit(),
        counter.description(),
        counter,
        kind);
  }

  /**
   * The meter for a flat {@code key}, or null if the key is left out (the total of the requests).
   */
  static Mapping map(String key) {
    int dot = key.indexOf('.');
    String sink = dot > 0 ? key.substring(0, dot) : "unknown";
    String counter = dot > 0 ? key.substring(dot + 1) : key;
    Tags tags = Tags.of("sink", sink);
    if (counter.equals("requests")) {
      return null;
    }
    if (counter.startsWith("requests.") && counter.length() > "requests.".length()) {
      String kind = counter.substring("requests.".length());
      return new Mapping(
          key,
          PREFIX + "requests",
          tags.and("kind", kind),
          null,
          "Requests the sink sent, by kind (retried attempts included)");
    }
    if (counter.startsWith("failed.") && counter.length() > "failed.".length()) {
      String kind = counter.substring("failed.".length());
      return new Mapping(
          key,
          PREFIX + "failures",
          tags.and("kind", kind),
          null,
          "Sink calls that failed after their last attempt, by kind");
    }
    if (counter.equals("retries")) {
      return new Mapping(
          key,
          PREFIX + "retries",
          tags,
          null,
          "Requests the sink sent again after a failed attempt");
    }
    String dotted = dotted(counter);
    if (dotted.isEmpty()) {
      return null;
    }
    String unit = null;
    List<String> words = new ArrayList<>(List.of(dotted.split("\\.")));
    if (words.removeIf(w -> w.equals("bytes"))) {
      words.add("bytes");
      unit = BaseUnits.BYTES;
      dotted = String.join(".", words);
    }
    return new Mapping(key, PREFIX + dotted, tags, unit, "Sink counter " + key);
  }

  /**
   * {@code bytesUploaded} → {@code bytes.uploaded}, {@code HTTPErrors} → {@code http.errors};
   * anything but ASCII letters and digits becomes a dot.
   */
  static String dotted(String camel) {
    StringBuilder out = new StringBuilder(camel.length() + 8);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (upper(c)) {
        boolean afterLower = i > 0 && lower(camel.charAt(i - 1));
        boolean endsAcronym =
            i > 0
                && upper(camel.charAt(i - 1))
                && i + 1 < camel.length()
                && lower(camel.charAt(i + 1));
        if (afterLower || endsAcronym) {
          out.append('.');
        }
        out.append((char) (c - 'A' + 'a'));
      } else if (lower(c) || (c >= '0' && c <= '9')) {
        out.append(c);
      } else {
        out.append('.');
      }
    }
    StringBuilder words = new StringBuilder(out.length());
    for (String w : out.toString().split("\\.")) {
      if (!w.isEmpty()) {
        words.append(words.length() == 0 ? "" : ".").append(w);
      }
    }
    return words.toString();
  }

  private static boolean upper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static boolean lower(char c) {
    return c >= 'a' && c <= 'z';
  }
}
