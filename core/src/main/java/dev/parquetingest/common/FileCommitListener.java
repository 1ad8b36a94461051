package dev.parquetingest.common;

/**
 * Told of every data file the sink commits, for metrics that need each file (latency and size
 * distributions; see {@link dev.parquetingest.IngestMetrics#addFileCommitListener}). Called on the
 * worker's thread right after the commit, so it must be quick and thread-safe; an exception it
 * throws is logged and does not fail the run.
 */
@FunctionalInterface
public interface FileCommitListener {
  /**
   * @param bytes the committed file's size
   * @param rows the rows it holds
   * @param commitNanos how long the sink's commit took (fsync and link, or S3's completion)
   */
  void fileCommitted(long bytes, long rows, long commitNanos);
}
