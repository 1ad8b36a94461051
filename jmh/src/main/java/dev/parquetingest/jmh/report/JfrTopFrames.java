package dev.parquetingest.jmh.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * Where the CPU time of a JFR recording goes: the methods most often on top of the stack in {@code
 * jdk.ExecutionSample} events (self time) and the methods most often anywhere on it (total time),
 * as Markdown tables; {@code jdk.NativeMethodSample} events (threads in native code, such as ZSTD
 * through zstd-jni) count too. JDK 17's {@code jfr} tool has no such view.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.parquetingest.jmh.report.JfrTopFrames FILE.jfr [TOP]
 * [THREAD-PREFIX]}; only samples of threads whose name starts with THREAD-PREFIX (default {@code
 * dev.parquetingest}, JMH's worker threads are named after the benchmark) are counted.
 */
public final class JfrTopFrames {
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

  /** The two tables for the samples of threads named {@code threadPrefix...}. */
  static String summarise(Path file, int top, String threadPrefix) {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> total = new HashMap<>();
    int samples = 0;
    try (RecordingFile recording = new RecordingFile(file)) {
      while (recording.hasMoreEvents()) {
        RecordedEvent event = recording.readEvent();
        String type = event.getEventType().getName();
        if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) {
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
        samples++;
        List<RecordedFrame> frames = stack.getFrames();
        if (!frames.isEmpty()) {
          self.merge(name(frames.get(0)), 1, Integer::sum);
        }
        Set<String> seen = new HashSet<>();
        for (RecordedFrame frame : frames) {
          String name = name(frame);
          if (seen.add(name)) {
            total.merge(name, 1, Integer::sum);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%d execution and native samples of threads '%s*' in %s%n%n",
            samples,
            threadPrefix,
            file.getFileName()));
    table(out, "self (top of stack)", self, samples, top);
    out.append('\n');
    table(out, "total (anywhere on the stack)", total, samples, top);
    return out.toString();
  }

  private static void table(
      StringBuilder out, String title, Map<String, Integer> counts, int samples, int top) {
    out.append("| ").append(title).append(" | samples | share |\n|---|---:|---:|\n");
    List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
    entries.sort(
        Map.Entry.<String, Integer>comparingByValue()
            .reversed()
            .thenComparing(Map.Entry.comparingByKey()));
    for (Map.Entry<String, Integer> e : entries.subList(0, Math.min(top, entries.size()))) {
      out.append(
          String.format(
              Locale.ROOT,
              "| `%s` | %d | %.1f%% |%n",
              e.getKey(),
              e.getValue(),
              100.0 * e.getValue() / Math.max(1, samples)));
    }
  }

  private static String name(RecordedFrame frame) {
    RecordedMethod m = frame.getMethod();
    if (m == null) {
      return "(unknown)";
    }
    String type = m.getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + m.getName();
  }
}
