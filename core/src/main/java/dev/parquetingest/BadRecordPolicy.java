package dev.parquetingest;

import dev.parquetingest.common.BadRecordException;

/** What a run does with a record that cannot become a row. Nothing is ever dropped silently. */
public enum BadRecordPolicy {
  /** End the run with a {@link BadRecordException}; files already committed stay. */
  FAIL,
  /**
   * Write the raw record and the reason to the rejects output ({@code _<prefix>.rejects.jsonl}
   * beside the data), count it in the report, and go on.
   */
  REJECT
}
