package dev.parquetingest.runtime;

/**
 * Where the run reports progress: the facade turns it into a {@link
 * dev.parquetingest.ProgressListener.Progress}. Called from the run's threads, at most every {@link
 * PipelineConfig#progressInterval()}.
 */
@FunctionalInterface
public interface ProgressSink {
  /**
   * @param totalBytes the input's size if known, else -1
   * @param done true for the last call, at the end of the run
   */
  void progress(
      long bytesRead,
      long totalBytes,
      long rowsRead,
      long rowsWritten,
      long filesCommitted,
      long elapsedNanos,
      boolean done);
}
