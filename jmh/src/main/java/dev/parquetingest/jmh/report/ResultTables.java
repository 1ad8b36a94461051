package dev.parquetingest.jmh.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns the JMH JSON files that {@code jmh/run-tables.sh} writes into the tables and the chart of
 * {@code docs/benchmarks.md}: per JVM configuration and data set, per rows-per-file N and backend,
 * rows/s (JMH's 99.9% error and the min–max of the iterations), peak heap Δ, peak RSS Δ, GC runs
 * and pause per file, allocation per file and the winner; the crossover; the allocator and
 * chunk-size tables. It writes {@code tables.md} and {@code crossover.svg} into the results
 * directory and replaces the text between {@value #BEGIN} and {@value #END} in the document.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.parquetingest.jmh.report.ResultTables RESULTS_DIR
 * DOC.md}. Reads {@code crossover-CONFIG.json} (one per JVM configuration; {@code g1} first, the
 * chart is drawn from it), {@code allocator.json} and {@code machine.md} (free text) when present.
 */
public final class ResultTables {
  static final String BEGIN = "<!-- BEGIN GENERATED TABLES (jmh/run-tables.sh) -->";
  static final String END = "<!-- END GENERATED TABLES -->";

  private static final String PARQUET_MR = "parquet-mr";
  private static final String ARROW = "arrow";

  private ResultTables() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("Usage: ResultTables RESULTS_DIR DOC.md");
      System.exit(2);
    }
    Path results = Path.of(args[0]);
    Path doc = Path.of(args[1]);
    String tables = tables(results);
    write(results.resolve("tables.md"), tables);
    Path csv = results.resolve("crossover-g1.json");
    if (Files.isRegularFile(csv)) {
      write(results.resolve("crossover.svg"), chart(Measurement.read(csv)));
    }
    if (Files.isRegularFile(doc)) {
      write(doc, splice(read(doc), tables));
    }
    System.out.print(tables);
  }

  /** All tables, as Markdown. */
  static String tables(Path results) {
    StringBuilder md = new StringBuilder();
    Path machine = results.resolve("machine.md");
    if (Files.isRegularFile(machine)) {
      md.append(read(machine).strip()).append("\n\n");
    }
    for (Path file : configFiles(results)) {
      String name = file.getFileName().toString();
      String config = name.substring("crossover-".length(), name.length() - ".json".length());
      List<Measurement> all = Measurement.read(file);
      if (all.isEmpty()) {
        continue;
      }
      md.append("### Configuration `").append(config).append("`\n\n");
      md.append("JVM flags: `").append(String.join(" ", all.get(0).jvmArgs)).append("`\n\n");
      TreeSet<String> datasets = new TreeSet<>();
      for (Measurement m : all) {
        datasets.add(m.param("dataset"));
      }
      for (String dataset : datasets) {
        crossoverTable(md, config, dataset, all);
      }
    }
    Path allocator = results.resolve("allocator.json");
    if (Files.isRegularFile(allocator)) {
      allocatorTables(md, Measurement.read(allocator));
    }
    return md.toString();
  }

  private static List<Path> configFiles(Path results) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(results, "crossover-*.json")) {
      dir.forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + results, e);
    }
    files.sort(
        (a, b) -> {
          boolean ag1 = a.getFileName().toString().equals("crossover-g1.json");
          boolean bg1 = b.getFileName().toString().equals("crossover-g1.json");
          return ag1 != bg1 ? (ag1 ? -1 : 1) : a.compareTo(b);
        });
    return files;
  }

  private static void crossoverTable(
      StringBuilder md, String config, String dataset, List<Measurement> all) {
    Map<Integer, Map<String, Measurement>> byRows = new TreeMap<>();
    for (Measurement m : all) {
      if (m.method.equals("EncoderCrossoverBenchmark.writeFile")
          && m.param("dataset").equals(dataset)) {
        byRows.computeIfAbsent(m.intParam("rows"), k -> new TreeMap<>()).put(m.param("backend"), m);
      }
    }
    md.append("#### `").append(dataset).append("` (").append(config).append(")\n\n");
    md.append(
        "| N rows | backend | rows/s | ± 99.9% | min–max rows/s | peak heap Δ | peak RSS Δ "
            + "| GC runs/file | GC pause/file | allocated/file | Arrow allocator peak | winner |\n");
    md.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    Integer crossover = null;
    boolean arrowAheadFromHere = true;
    List<Integer> sizes = new ArrayList<>(byRows.keySet());
    for (int i = sizes.size() - 1; i >= 0; i--) {
      Map<String, Measurement> pair = byRows.get(sizes.get(i));
      Measurement a = pair.get(ARROW);
      Measurement p = pair.get(PARQUET_MR);
      if (a == null || p == null || a.score <= p.score) {
        arrowAheadFromHere = false;
      }
      if (arrowAheadFromHere) {
        crossover = sizes.get(i);
      }
    }
    for (Map.Entry<Integer, Map<String, Measurement>> e : byRows.entrySet()) {
      int rows = e.getKey();
      String winner = winner(e.getValue());
      boolean first = true;
      for (String backend : List.of(PARQUET_MR, ARROW)) {
        Measurement m = e.getValue().get(backend);
        if (m == null) {
          continue;
        }
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %,.0f | %s | %,.0f–%,.0f | %s | %s | %s | %s | %s | %s | %s |%n",
                first ? String.format(Locale.ROOT, "%,d", rows) : "",
                backend,
                m.score * rows,
                Double.isNaN(m.error) ? "n/a" : String.format(Locale.ROOT, "%,.0f", m.error * rows),
                m.min * rows,
                m.max * rows,
                mb(m.metric("mem.heap.peak.delta")),
                mb(m.metric("mem.rss.peak.delta")),
                decimal(m.metric("mem.gc.count.per.op"), 1),
                ms(m.metric("mem.gc.time.per.op")),
                mb(m.metric("gc.alloc.rate.norm") / (1024.0 * 1024.0)),
                mb(m.metric("mem.arrow.allocator.peak")),
                first ? winner : ""));
        first = false;
      }
    }
    md.append('\n');
    md.append(
        crossover == null
            ? "Crossover: arrow is not ahead at the largest N measured.\n\n"
            : String.format(
                Locale.ROOT,
                "Crossover: arrow is faster at every N from **%,d** rows per file on "
                    + "(by mean score; see the winner column for the noise).%n%n",
                crossover));
  }

  /** The faster backend, its lead, and whether the iterations' ranges overlap. */
  private static String winner(Map<String, Measurement> pair) {
    Measurement a = pair.get(ARROW);
    Measurement p = pair.get(PARQUET_MR);
    if (a == null || p == null) {
      return "";
    }
    boolean arrowWins = a.score > p.score;
    Measurement w = arrowWins ? a : p;
    Measurement l = arrowWins ? p : a;
    boolean overlap = w.min <= l.max;
    return String.format(
        Locale.ROOT,
        "%s +%.0f%%%s",
        arrowWins ? ARROW : PARQUET_MR,
        (w.score / l.score - 1) * 100,
        overlap ? " (ranges overlap)" : "");
  }

  private static void allocatorTables(StringBuilder md, List<Measurement> all) {
    md.append("### Arrow allocator: 900 rows × 52 columns per file (`logs`)\n\n");
    md.append(
        "| allocator | files/s | rows/s | ± 99.9% | min–max rows/s | peak heap Δ "
            + "| allocated/file | GC runs/file | Arrow allocator peak |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    Map<String, Double> small = new TreeMap<>();
    for (Measurement m : all) {
      if (!m.method.equals("ArrowAllocatorBenchmark.smallFile")) {
        continue;
      }
      int rows = m.intParam("fileRows");
      small.put(m.param("allocator"), m.score);
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.1f | %,.0f | %s | %,.0f–%,.0f | %s | %s | %s | %s |%n",
              m.param("allocator"),
              m.score,
              m.score * rows,
              Double.isNaN(m.error) ? "n/a" : String.format(Locale.ROOT, "%,.0f", m.error * rows),
              m.min * rows,
              m.max * rows,
              mb(m.metric("mem.heap.peak.delta")),
              kb(m.metric("gc.alloc.rate.norm")),
              decimal(m.metric("mem.gc.count.per.op"), 3),
              mb(m.metric("mem.arrow.allocator.peak"))));
    }
    if (small.containsKey("netty") && small.containsKey("unsafe")) {
      md.append(
          String.format(
              Locale.ROOT,
              "%nunsafe / netty throughput: %.2f%n",
              small.get("unsafe") / small.get("netty")));
    }
    md.append("\n### Arrow chunk size (`logs`, netty and unsafe)\n\n");
    md.append(
        "| chunk rows | allocator | rows per file | rows/s | ± 99.9% | min–max rows/s "
            + "| peak heap Δ | allocated/file | GC runs/file | Arrow allocator peak |\n");
    md.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    List<Measurement> chunks = new ArrayList<>();
    for (Measurement m : all) {
      if (m.method.equals("ArrowAllocatorBenchmark.chunkSize")) {
        chunks.add(m);
      }
    }
    chunks.sort(
        (x, y) ->
            x.intParam("chunkRows") != y.intParam("chunkRows")
                ? Integer.compare(x.intParam("chunkRows"), y.intParam("chunkRows"))
                : x.param("allocator").compareTo(y.param("allocator")));
    for (Measurement m : chunks) {
      int rows = m.intParam("rows");
      md.append(
          String.format(
              Locale.ROOT,
              "| %,d | %s | %,d | %,.0f | %s | %,.0f–%,.0f | %s | %s | %s | %s |%n",
              m.intParam("chunkRows"),
              m.param("allocator"),
              rows,
              m.score * rows,
              Double.isNaN(m.error) ? "n/a" : String.format(Locale.ROOT, "%,.0f", m.error * rows),
              m.min * rows,
              m.max * rows,
              mb(m.metric("mem.heap.peak.delta")),
              mb(m.metric("gc.alloc.rate.norm") / (1024.0 * 1024.0)),
              decimal(m.metric("mem.gc.count.per.op"), 1),
              mb(m.metric("mem.arrow.allocator.peak"))));
    }
    md.append('\n');
  }

  /** Rows/s against N for both backends and both data sets of the {@code g1} configuration. */
  static String chart(List<Measurement> all) {
    SvgChart chart =
        new SvgChart("parquet-ingest: rows/s against rows per file (G1, 1 CPU, -Xmx2276m)");
    String[][] styles = {
      {"logs", PARQUET_MR, "#1f77b4", "false"},
      {"logs", ARROW, "#d62728", "false"},
      {"reviews", PARQUET_MR, "#1f77b4", "true"},
      {"reviews", ARROW, "#d62728", "true"},
    };
    for (String[] style : styles) {
      SvgChart.Series s =
          new SvgChart.Series(style[1] + ", " + style[0], style[2], Boolean.parseBoolean(style[3]));
      Map<Integer, Measurement> byRows = new TreeMap<>();
      for (Measurement m : all) {
        if (m.param("dataset").equals(style[0]) && m.param("backend").equals(style[1])) {
          byRows.put(m.intParam("rows"), m);
        }
      }
      byRows.forEach((rows, m) -> s.add(rows, m.score * rows, m.min * rows, m.max * rows));
      if (!s.points.isEmpty()) {
        chart.add(s);
      }
    }
    return chart.render();
  }

  /** {@code doc} with the text between the markers replaced by {@code tables}. */
  static String splice(String doc, String tables) {
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException(
          "Cannot update the document: it lacks the markers " + BEGIN + " and " + END);
    }
    return doc.substring(0, begin + BEGIN.length())
        + "\n\n"
        + tables.strip()
        + "\n\n"
        + doc.substring(end);
  }

  private static String mb(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%,.0f MB", v);
  }

  private static String kb(double bytes) {
    return Double.isNaN(bytes) ? "–" : String.format(Locale.ROOT, "%,.0f KB", bytes / 1024.0);
  }

  private static String ms(double v) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%,.1f ms", v);
  }

  private static String decimal(double v, int places) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%." + places + "f", v);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }
}
