package dev.parquetingest.jmh.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark × parameter combination of a JMH JSON result file: the primary score (operations
 * per second) with JMH's 99.9% error and the minimum and maximum of the measured iterations, the
 * secondary metrics of the profilers, and the JVM arguments of the fork. Immutable.
 */
final class Measurement {
  final String method;
  final Map<String, String> params;
  final double score;
  final double error;
  final double min;
  final double max;
  final int iterations;
  final Map<String, Double> secondary;
  final List<String> jvmArgs;

  private Measurement(Map<String, Object> json) {
    String benchmark = String.valueOf(json.get("benchmark"));
    String[] parts = benchmark.split("\\.");
    this.method = parts[parts.length - 2] + "." + parts[parts.length - 1];
    Map<String, String> p = new LinkedHashMap<>();
    MiniJson.object(json.get("params")).forEach((k, v) -> p.put(k, String.valueOf(v)));
    this.params = Map.copyOf(p);
    Map<String, Object> primary = MiniJson.object(json.get("primaryMetric"));
    this.score = MiniJson.number(primary.get("score"));
    this.error = MiniJson.number(primary.get("scoreError"));
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    int n = 0;
    for (Object fork : MiniJson.array(primary.get("rawData"))) {
      for (Object v : MiniJson.array(fork)) {
        double d = MiniJson.number(v);
        lo = Math.min(lo, d);
        hi = Math.max(hi, d);
        n++;
      }
    }
    this.min = n == 0 ? score : lo;
    this.max = n == 0 ? score : hi;
    this.iterations = n;
    Map<String, Double> s = new LinkedHashMap<>();
    MiniJson.object(json.get("secondaryMetrics"))
        .forEach((k, v) -> s.put(k, MiniJson.number(MiniJson.object(v).get("score"))));
    this.secondary = Map.copyOf(s);
    List<String> args = new ArrayList<>();
    for (Object a : MiniJson.array(json.get("jvmArgs"))) {
      args.add(String.valueOf(a));
    }
    this.jvmArgs = List.copyOf(args);
  }

  /** Every entry of a JMH JSON result file ({@code -rf json}). */
  static List<Measurement> read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
    List<Measurement> all = new ArrayList<>();
    for (Object entry : MiniJson.array(MiniJson.parse(text))) {
      all.add(new Measurement(MiniJson.object(entry)));
    }
    return all;
  }

  String param(String name) {
    return params.getOrDefault(name, "");
  }

  int intParam(String name) {
    return Integer.parseInt(param(name));
  }

  /** A secondary metric by its label without JMH's leading middle dot, or NaN if absent. */
  double metric(String label) {
    Double v = secondary.get("\u00b7" + label);
    if (v == null) {
      v = secondary.get(label);
    }
    return v == null ? Double.NaN : v;
  }
}
