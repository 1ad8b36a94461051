package dev.parquetingest.spi;

import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;

/**
 * Maps each row to zero or one row: filters, casts, derives columns. Called from one thread.
 *
 * <p>A transformer that cannot handle a record throws {@link dev.parquetingest.BadRecordException}
 * (the runtime fills in the source and line if the transformer does not know them).
 */
public interface Transformer {
  /** The schema of the rows {@link #apply} returns, given the schema of its input. */
  default Schema outputSchema(Schema input) {
    return input;
  }

  /**
   * @return the row to write (which may be {@code row} itself or a reused one), or null to drop
   *     the record (counted as filtered in the report)
   */
  Row apply(Row row);
}
