package dev.parquetingest.metrics.micrometer;

import dev.parquetingest.common.BadRecordException;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.Source;

/**
 * A finite in-test source of {@code count} rows {@code (id, name)}, ids 0.. in order. Every id that
 * {@link #isBad} names is a bad record (thrown as {@link BadRecordException}, as a parser would),
 * so that a run with {@code REJECT} has rejects to count.
 */
final class RowsSource implements Source {
  static final Schema SCHEMA =
      Schema.builder()
          .required("id", ColumnType.int64())
          .required("name", ColumnType.string())
          .build();

  private final long count;
  private final long badEvery;
  private long next;

  /**
   * @param badEvery every id {@code i} with {@code i % badEvery == badEvery - 1} is bad; 0 for none
   */
  RowsSource(long count, long badEvery) {
    this.count = count;
    this.badEvery = badEvery;
  }

  boolean isBad(long id) {
    return badEvery > 0 && id % badEvery == badEvery - 1;
  }

  @Override
  public String name() {
    return "rows";
  }

  @Override
  public Schema open() {
    return SCHEMA;
  }

  @Override
  public boolean next(MutableRow row) {
    if (next >= count) {
      return false;
    }
    long id = next++;
    if (isBad(id)) {
      throw new BadRecordException("bad id", name(), id + 1, "id", "bad " + id);
    }
    row.setLong(0, id);
    row.setString(1, "name-" + id);
    return true;
  }

  @Override
  public Position position() {
    long n = next;
    return () -> "row " + n;
  }

  @Override
  public long bytesRead() {
    return next * 16;
  }

  @Override
  public void close() {}
}
