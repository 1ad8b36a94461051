package dev.parquetingest.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * One lane's counters and stage times, written by its thread only, and the figures it last
 * published for other threads (progress, gauges, autoscaling), which are volatile.
 */
final class LaneStats {
  long rowsRead;

  /** Rows in this lane's committed and open files; an aborted file's rows move to rowsAborted. */
  long rowsWritten;

  long rowsRejected;
  long rowsFiltered;
  long rowsAborted;
  long readNanos;
  long encodeNanos;
  long sinkNanos;
  long bytesOut;
  long memoryRolls;

  /** Time spent waiting for records that did not come (IDLE polls), for autoscaling. */
  long idleNanos;

  final List<CommittedFile> files = new ArrayList<>();

  /** Clock time of the first record read since the last acknowledgement, or -1. */
  long unackedSinceNanos = -1;

  volatile long publishedBytes;
  volatile long publishedRowsRead;
  volatile long publishedRowsWritten;
  volatile long publishedFiles;
  volatile long publishedBacklog = -1;
  volatile long publishedUnackedSince = -1;
  volatile long publishedIdleNanos;

  /** Counters as last added to the run's metrics. */
  private long metricRead;

  private long metricWritten;
  private long metricRejected;
  private long metricFiltered;

  /** Publishes the counters and adds what changed since the last time to the run's metrics. */
  void publish(Counters counters, long bytesRead, long backlog) {
    publishedBytes = bytesRead;
    publishedRowsRead = rowsRead;
    publishedRowsWritten = rowsWritten;
    publishedFiles = files.size();
    publishedBacklog = backlog;
    publishedIdleNanos = idleNanos;
    publishedUnackedSince = unackedSinceNanos;
    // the metric counts rows handed to files, and never decreases when a file is aborted
    long written = Math.max(rowsWritten, metricWritten);
    counters.addRecords(
        rowsRead - metricRead,
        written - metricWritten,
        rowsRejected - metricRejected,
        rowsFiltered - metricFiltered);
    metricRead = rowsRead;
    metricWritten = written;
    metricRejected = rowsRejected;
    metricFiltered = rowsFiltered;
  }
}
