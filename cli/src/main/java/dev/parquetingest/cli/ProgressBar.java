package dev.parquetingest.cli;

import dev.parquetingest.ProgressListener;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * A one-line progress bar (bytes read, rows/s, ETA) redrawn in place on standard error. Not
 * thread-safe; fed from the pipeline thread.
 */
final class ProgressBar implements ProgressListener {
  private static final int WIDTH = 24;

  private final PrintWriter err;
  private int lastLength;

  ProgressBar(PrintWriter err) {
    this.err = err;
  }

  /** Whether standard error is a terminal (Linux: fd 2 points at a tty or pty). */
  static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (Exception e) {
      return System.console() != null;
    }
  }

  @Override
  public void onProgress(Progress p) {
    double seconds = Math.max(1e-9, p.elapsed().toNanos() / 1e9);
    StringBuilder line = new StringBuilder("\r");
    double f = p.fraction();
    if (f >= 0) {
      int filled = (int) Math.round(f * WIDTH);
      line.append('[').append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("] ");
      line.append(String.format(Locale.ROOT, "%3.0f%% ", f * 100));
    }
    line.append(Format.bytes(p.bytesRead()));
    if (p.totalBytes() > 0) {
      line.append(" / ").append(Format.bytes(p.totalBytes()));
    }
    line.append(
        String.format(
            Locale.ROOT, "  %,d rows  %,.0f rows/s", p.rowsRead(), p.rowsRead() / seconds));
    Duration remaining = p.remaining();
    if (p.done()) {
      line.append("  done in ").append(Format.duration(p.elapsed()));
    } else if (remaining != null) {
      line.append("  ETA ").append(Format.duration(remaining));
    }
    int length = line.length();
    if (length < lastLength) {
      line.append(" ".repeat(lastLength - length));
    }
    lastLength = length;
    err.print(line);
    if (p.done()) {
      err.println();
    }
    err.flush();
  }
}
