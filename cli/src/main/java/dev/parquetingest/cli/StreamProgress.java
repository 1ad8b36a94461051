package dev.parquetingest.cli;

import dev.parquetingest.IngestMetrics;
import java.io.PrintWriter;
import java.util.Locale;

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
            metrics.sourceBacklog());
    StringBuilder b = new StringBuilder("\r").append(text);
    if (text.length() < lastLength) {
      b.append(" ".repeat(lastLength - text.length()));
    }
    lastLength = text.length();
    err.print(b);
    err.flush();
  }

  /**
   * One progress line, e.g. {@code 0:42 1,200,000 rows 28,571 rows/s 12 files (4 open) lag 3,100};
   * lag {@code n/a} while the source cannot tell ({@code lag} negative).
   */
  static String line(
      long elapsedSeconds, long rows, double rowsPerSecond, long files, long open, long lag) {
    return String.format(
        Locale.ROOT,
        "%d:%02d  %,d rows  %,.0f rows/s  %,d file%s (%,d open)  lag %s",
        elapsedSeconds / 60,
        elapsedSeconds % 60,
        rows,
        rowsPerSecond,
        files,
        files == 1 ? "" : "s",
        open,
        lag < 0 ? "n/a" : String.format(Locale.ROOT, "%,d", lag));
  }
}
