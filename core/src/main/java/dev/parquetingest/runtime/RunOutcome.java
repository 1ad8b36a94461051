package dev.parquetingest.runtime;

import dev.parquetingest.internal.SinkFiles;
import java.util.function.Consumer;

/**
 * How a run ended: its totals, and the failure that ended it (null if it succeeded). The facade
 * turns the totals into the report, has it written with {@link #writeReport}, then rethrows.
 */
public final class RunOutcome {
  private final RunTotals totals;
  private final RuntimeException failure;
  private final Consumer<SinkFiles.Text> reportWriter;

  RunOutcome(RunTotals totals, RuntimeException failure, Consumer<SinkFiles.Text> reportWriter) {
    this.totals = totals;
    this.failure = failure;
    this.reportWriter = reportWriter;
  }

  public RunTotals totals() {
    return totals;
  }

  /** The failure that ended the run, or null. */
  public RuntimeException failure() {
    return failure;
  }

  /**
   * Writes the report (if the run writes one), last of all; a failure to write it is added to the
   * run's failure, or thrown if the run succeeded.
   */
  public void writeReport(SinkFiles.Text json) {
    Failures.suppressOrThrow(failure, () -> reportWriter.accept(json));
  }
}
