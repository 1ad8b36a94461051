package dev.parquetingest.common;

/**
 * A batch run stopped before the end of its input ({@code ParquetIngest.stop()}, e.g. on SIGTERM or
 * Ctrl-C): its open files were committed, its manifest and report (status {@code interrupted})
 * written, and a rerun with {@code resume} reads the rest. The message says what was kept.
 */
public final class RunInterruptedException extends IngestException {
  private static final long serialVersionUID = 1L;

  public RunInterruptedException(String message) {
    super(message);
  }
}
