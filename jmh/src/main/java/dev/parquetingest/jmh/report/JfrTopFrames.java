package dev.parquetingest.jmh.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU time of a JFR recording goes, as Markdown tables: the share of the time in each
 * phase of writing a file (ZSTD, filling the Arrow chunk, encoding the columns, the rest), the
 * methods most often on top of the stack (self time) and the methods most often anywhere on it
 * (total time). Both {@code jdk.ExecutionSample} (Java code) and {@code jdk.NativeMethodSample}
 * (threads in native code, such as ZSTD through zstd-jni) events count, each for the period at
 * which its type was sampled (the recording's {@code jdk.ActiveSetting} events give it): JFR's
 * {@code profile} settings sample Java code every 10 ms and native code every 20 ms, so a native
 * sample stands for twice the time of a Java one, and counting samples alone would halve ZSTD's
 * share. JDK 17's {@code jfr} tool has no such view.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.parquetingest.jmh.report.JfrTopFrames FILE.jfr [TOP]
 * [THREAD-PREFIX]}; only samples of threads whose name starts with THREAD-PREFIX (default {@code
 * dev.parquetingest}, JMH's worker threads are named after the benchmark) are counted.
 */
public final class JfrTopFrames {
  static final String EXECUTION = "jdk.ExecutionSample";
  static final String NATIVE = "jdk.NativeMethodSample";

  private JfrTopFrames() {}

  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("Usage: JfrTopFrames FILE.jfr [TOP] [THREAD-PREFIX]");
      System.exit(2);
    }
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    String threadPrefix = args.length > 2 ? args[2] : "dev.parquetingest";
    System.out.print(summarise(Path.of(args[0]), top, threadPrefix));
  }

  /** The tables for the samples of threads named {@code threadPrefix...}. */
  static String summarise(Path file, int top, String threadPrefix) {
    Map<String, Double> periods = samplingPeriods(file);
    Tally tally = new Tally();
    try (RecordingFile recording = new RecordingFile(file)) {
      while (recording.hasMoreEvents()) {
        RecordedEvent event = recording.readEvent();
        String type = event.getEventType().getName();
        if (!type.equals(EXECUTION) && !type.equals(NATIVE)) {
          continue;
        }
        String thread =
            event.getThread("sampledThread") == null
                ? ""
                : String.valueOf(event.getThread("sampledThread").getJavaName());
        RecordedStackTrace stack = event.getStackTrace();
        if (stack == null || !thread.startsWith(threadPrefix)) {
          continue;
        }
        List<String> frames = new ArrayList<>();
        for (RecordedFrame frame : stack.getFrames()) {
          frames.add(qualifiedName(frame));
        }
        tally.add(frames, periods.getOrDefault(type, 0.0));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
    if (tally.samples > 0 && tally.time == 0) {
      throw new IllegalStateException(
          "Cannot weigh the samples of " + file + ": it records no sampling period " + periods);
    }
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%d execution and native samples of threads '%s*' in %s; each counts for its"
                + " sampling period (%s), shares are of the time they stand for%n%n",
            tally.samples,
            threadPrefix,
            file.getFileName(),
            describe(periods)));
    tally.phases(out);
    out.append('\n');
    tally.table(out, "self (top of stack)", tally.self, top);
    out.append('\n');
    tally.table(out, "total (anywhere on the stack)", tally.total, top);
    return out.toString();
  }

  /**
   * The sampling period in milliseconds of the execution and native sample events, from the
   * recording's last {@code jdk.ActiveSetting} events for them (a recording may change its
   * settings; the benchmark's do not).
   */
  static Map<String, Double> samplingPeriods(Path file) {
    Map<Long, String> typeIds = new HashMap<>();
    Map<String, Double> periods = new LinkedHashMap<>();
    try (RecordingFile recording = new RecordingFile(file)) {
      for (jdk.jfr.EventType t : recording.readEventTypes()) {
        typeIds.put(t.getId(), t.getName());
      }
      while (recording.hasMoreEvents()) {
        RecordedEvent event = recording.readEvent();
        if (!event.getEventType().getName().equals("jdk.ActiveSetting")
            || !"period".equals(event.getString("name"))) {
          continue;
        }
        String type = typeIds.get(event.getLong("id"));
        if (EXECUTION.equals(type) || NATIVE.equals(type)) {
          periods.put(type, periodMillis(event.getString("value")));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
    return periods;
  }

  /**
   * A JFR period setting ({@code "20 ms"}, {@code "1 s"}, {@code "500 us"}) in milliseconds; 0 for
   * one that is not a duration (an event that is off).
   */
  static double periodMillis(String value) {
    String[] parts = value.trim().split("\\s+");
    if (parts.length != 2) {
      return 0;
    }
    double n;
    try {
      n = Double.parseDouble(parts[0]);
    } catch (NumberFormatException e) {
      return 0;
    }
    switch (parts[1]) {
      case "ns":
        return n / 1e6;
      case "us":
        return n / 1e3;
      case "ms":
        return n;
      case "s":
        return n * 1e3;
      case "m":
        return n * 60e3;
      default:
        return 0;
    }
  }

  private static String describe(Map<String, Double> periods) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Double> e : periods.entrySet()) {
      parts.add(String.format(Locale.ROOT, "%s every %.0f ms", e.getKey(), e.getValue()));
    }
    return parts.isEmpty() ? "none recorded" : String.join(", ", parts);
  }

  private static String qualifiedName(RecordedFrame frame) {
    RecordedMethod m = frame.getMethod();
    if (m == null) {
      return "(unknown)";
    }
    return m.getType().getName() + "." + m.getName();
  }

  /** {@code pkg.Type.method} without its package, as the tables show it. */
  static String shortName(String qualified) {
    int method = qualified.lastIndexOf('.');
    int type = method <= 0 ? -1 : qualified.lastIndexOf('.', method - 1);
    return qualified.substring(type + 1);
  }

  /**
   * The phases of writing a file, first match wins: the first phase one of whose frame prefixes
   * (qualified {@code pkg.Type.method} names) is on a sample's stack takes its time. ZSTD comes
   * first, so compression called from inside the column writers counts as ZSTD.
   */
  static final Map<String, List<String>> PHASES = phases();

  private static Map<String, List<String>> phases() {
    Map<String, List<String>> p = new LinkedHashMap<>();
    p.put("ZSTD compression (zstd-jni)", List.of("com.github.luben.zstd."));
    p.put(
        "filling the Arrow chunk (`ChunkRows.append`, with the input rows it reads)",
        List.of("dev.parquetingest.backend.arrow.ChunkRows.append"));
    p.put(
        "encoding the columns (`ColumnarParquetWriter`: dictionaries, levels, statistics, pages)",
        List.of("dev.parquetingest.backend.arrow.ColumnarParquetWriter."));
    p.put("the rest (the parquet-mr writer; set-up, footer, harness)", List.of(""));
    return p;
  }

  /** Time-weighted counts of stacks; one per summary. Not thread-safe. */
  static final class Tally {
    final Map<String, Double> self = new HashMap<>();
    final Map<String, Double> total = new HashMap<>();
    final Map<String, Double> phase = new LinkedHashMap<>();
    int samples;
    double time;

    Tally() {
      for (String name : PHASES.keySet()) {
        phase.put(name, 0.0);
      }
    }

    /** One sample: its stack (top first, qualified names) and the milliseconds it stands for. */
    void add(List<String> frames, double millis) {
      samples++;
      time += millis;
      if (!frames.isEmpty()) {
        self.merge(shortName(frames.get(0)), millis, Double::sum);
      }
      Set<String> seen = new HashSet<>();
      for (String frame : frames) {
        String name = shortName(frame);
        if (seen.add(name)) {
          total.merge(name, millis, Double::sum);
        }
      }
      phase.merge(phaseOf(frames), millis, Double::sum);
    }

    /** The phase a stack's time goes to; the last phase takes every stack no other one takes. */
    static String phaseOf(List<String> frames) {
      String last = null;
      for (Map.Entry<String, List<String>> p : PHASES.entrySet()) {
        last = p.getKey();
        for (String prefix : p.getValue()) {
          for (String frame : frames) {
            if (frame.startsWith(prefix)) {
              return last;
            }
          }
        }
      }
      return last;
    }

    double share(double millis) {
      return 100.0 * millis / Math.max(Double.MIN_VALUE, time);
    }

    void phases(StringBuilder out) {
      out.append("| phase | share of time |\n|---|---:|\n");
      for (Map.Entry<String, Double> e : phase.entrySet()) {
        out.append(
            String.format(Locale.ROOT, "| %s | %.1f%% |%n", e.getKey(), share(e.getValue())));
      }
    }

    void table(StringBuilder out, String title, Map<String, Double> counts, int top) {
      out.append("| ").append(title).append(" | share of time |\n|---|---:|\n");
      List<Map.Entry<String, Double>> entries = new ArrayList<>(counts.entrySet());
      entries.sort(
          Map.Entry.<String, Double>comparingByValue()
              .reversed()
              .thenComparing(Map.Entry.comparingByKey()));
      for (Map.Entry<String, Double> e : entries.subList(0, Math.min(top, entries.size()))) {
        out.append(
            String.format(Locale.ROOT, "| `%s` | %.1f%% |%n", e.getKey(), share(e.getValue())));
      }
    }
  }
}
