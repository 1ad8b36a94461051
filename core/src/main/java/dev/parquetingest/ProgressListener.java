package dev.parquetingest;

import java.time.Duration;

/**
 * Receives progress of a long run, at most every {@link ParquetIngest#PROGRESS_INTERVAL} and once
 * at the end, on the thread that runs the pipeline: keep it quick.
 */
@FunctionalInterface
public interface ProgressListener {
  void onProgress(Progress progress);

  /** A snapshot of a run's progress. Immutable. */
  final class Progress {
    private final long bytesRead;
    private final long totalBytes;
    private final long rowsRead;
    private final long rowsWritten;
    private final long filesCommitted;
    private final Duration elapsed;
    private final boolean done;

    Progress(
        long bytesRead,
        long totalBytes,
        long rowsRead,
        long rowsWritten,
        long filesCommitted,
        Duration elapsed,
        boolean done) {
      this.bytesRead = bytesRead;
      this.totalBytes = totalBytes;
      this.rowsRead = rowsRead;
      this.rowsWritten = rowsWritten;
      this.filesCommitted = filesCommitted;
      this.elapsed = elapsed;
      this.done = done;
    }

    public long bytesRead() {
      return bytesRead;
    }

    /** The input's size in bytes, or -1 if unknown. */
    public long totalBytes() {
      return totalBytes;
    }

    public long rowsRead() {
      return rowsRead;
    }

    public long rowsWritten() {
      return rowsWritten;
    }

    public long filesCommitted() {
      return filesCommitted;
    }

    public Duration elapsed() {
      return elapsed;
    }

    /** True for the last call of a run. */
    public boolean done() {
      return done;
    }

    /** The fraction of the input read, 0..1, or -1 if the size is unknown. */
    public double fraction() {
      return totalBytes > 0 ? Math.min(1.0, (double) bytesRead / totalBytes) : -1;
    }

    /** The estimated time left, or null if it cannot be estimated yet. */
    public Duration remaining() {
      double f = fraction();
      if (f <= 0 || elapsed.isZero()) {
        return null;
      }
      return Duration.ofNanos((long) (elapsed.toNanos() * (1 - f) / f));
    }
  }
}
