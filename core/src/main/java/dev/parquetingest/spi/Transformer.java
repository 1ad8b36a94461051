package dev.parquetingest.spi;

import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;

/**
 * Maps each row to zero or one row: filters, casts, derives columns.
 *
 * <p>Thread-safety: an instance is called by one worker thread only, so it may keep state and reuse
 * its output row. With several workers each worker gets its own instance, from the {@code Supplier}
 * given to {@link dev.parquetingest.ParquetIngestBuilder#transform(java.util.function.Supplier)}; a
 * single instance given to {@link dev.parquetingest.ParquetIngestBuilder#transform(Transformer)} is
 * refused when more than one worker may run.
 *
 * <p>A transformer that cannot handle a record throws {@link
 * dev.parquetingest.common.BadRecordException}; if it leaves the source ({@code null}) or the line
 * ({@code -1}) unknown, the runtime fills them in from the source's name and the record's {@link
 * Position#line()}.
 */
public interface Transformer {
  /** The schema of the rows {@link #apply} returns, given the schema of its input. */
  default Schema outputSchema(Schema input) {
    return input;
  }

  /**
   * @return the row to write (which may be {@code row} itself or a row this transformer reuses), or
   *     null to drop the record (counted as filtered in the report)
   */
  Row apply(Row row);
}
