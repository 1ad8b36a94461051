package dev.parquetingest.common;

/**
 * What a failed batch run kept: never thrown, but attached ({@link Throwable#addSuppressed}) to the
 * failure of a run that had committed data files, saying how many, how many rows, and which line
 * ranges of the input they hold, e.g. {@code Kept 7 files (3,500 rows) in /data/out holding lines
 * 2-1501, 2002-3001 of logs.csv; rerun with --resume (resume(true)) to read the rest}. The same
 * ranges are in the manifest and the report ({@code firstPosition}, {@code lastPosition} of each
 * file). Find it with {@link #of(Throwable)}.
 */
public final class KeptOutput extends IngestException {
  private static final long serialVersionUID = 1L;

  public KeptOutput(String message) {
    super(message);
    setStackTrace(new StackTraceElement[0]);
  }

  /** The notice attached to {@code failure}, or null if it has none. */
  public static KeptOutput of(Throwable failure) {
    if (failure == null) {
      return null;
    }
    for (Throwable s : failure.getSuppressed()) {
      if (s instanceof KeptOutput) {
        return (KeptOutput) s;
      }
    }
    return null;
  }
}
