package dev.parquetingest.cli;

import dev.parquetingest.IngestMetrics;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The progress line of a streaming command, redrawn in place on standard error about once a second:
 * running time, rows written, rows/s over the last interval, files committed and open, and the
 * source's lag (records waiting). {@link #print} is called from one timer thread.
 */
final class StreamProgress {
  private final IngestMetrics metrics;
  private final PrintWriter err;
  private final long start = System.nanoTime();
  private long lastNanos = start;
  private long lastRows;
  private int lastLength;

  StreamProgress(IngestMetrics metrics, PrintWriter err) {
    this.metrics = metrics;
    this.err = err;
  }

  /** Reads the metrics and redraws the line. */
  void print() {
    long now = System.nanoTime();
    long rows = metrics.recordsOut();
    double rate = (rows - lastRows) / Math.max(1e-9, (now - lastNanos) / 1e9);
    lastNanos = now;
    lastRows = rows;
    String text =
        line(
            (now - start) / 1_000_000_000L,
            rows,
            rate,
            metrics.filesCommitted(),
            metrics.openFiles(),
            metrics.sourceBacklog(),
            metrics.sourceBacklogByPartition());
    StringBuilder b = new StringBuilder("\r").append(text);
    if (text.length() < lastLength) {
      b.append(" ".repeat(lastLength - text.length()));
    }
    lastLength = text.length();
    err.print(b);
    err.flush();
  }

  /**
   * One progress line, e.g. {@code 1:02:07 1,200,000 rows 28,571 rows/s 12 files (4 open) lag 3,100
   * (most: events/2 2,000)}: lag {@code n/a} while the source cannot tell ({@code lag} negative);
   * the partition with the most lag when the source has partitions and one lags.
   */
  static String line(
      long elapsedSeconds,
      long rows,
      double rowsPerSecond,
      long files,
      long open,
      long lag,
      Map<String, Long> lagByPartition) {
    StringBuilder b =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%s  %,d rows  %,.0f rows/s  %,d file%s (%,d open)  lag ",
                Format.duration(Duration.ofSeconds(elapsedSeconds)),
                rows,
                rowsPerSecond,
                files,
                files == 1 ? "" : "s",
                open));
    if (lag < 0) {
      return b.append("n/a").toString();
    }
    b.append(String.format(Locale.ROOT, "%,d", lag));
    Map.Entry<String, Long> most = null;
    for (Map.Entry<String, Long> e : lagByPartition.entrySet()) {
      if (most == null || e.getValue() > most.getValue()) {
        most = e;
      }
    }
    if (most != null && most.getValue() > 0 && lagByPartition.size() > 1) {
      b.append(String.format(Locale.ROOT, " (most: %s %,d)", most.getKey(), most.getValue()));
    }
    return b.toString();
  }
}
