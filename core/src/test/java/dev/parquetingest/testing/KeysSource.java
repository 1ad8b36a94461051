package dev.parquetingest.testing;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.Source;
import java.util.List;

/**
 * A source for partitioning tests: rows of {@link #SCHEMA} with ids 0, 1, … and the given values of
 * {@code k}, in order; a row's position is {@code row <id + 1>}. Not thread-safe.
 */
public final class KeysSource implements Source {
  /** {@code id int64, k string}, both required. */
  public static final Schema SCHEMA =
      Schema.builder()
          .required("id", ColumnType.int64())
          .required("k", ColumnType.string())
          .build();

  private final List<String> keys;
  private int next;

  public KeysSource(List<String> keys) {
    this.keys = List.copyOf(keys);
  }

  public KeysSource(String... keys) {
    this(List.of(keys));
  }

  @Override
  public String name() {
    return "keys";
  }

  @Override
  public Schema open() {
    return SCHEMA;
  }

  @Override
  public boolean next(MutableRow row) {
    if (next == keys.size()) {
      return false;
    }
    row.setLong(0, next);
    row.setString(1, keys.get(next++));
    return true;
  }

  @Override
  public Position position() {
    int at = next;
    return () -> "row " + at;
  }

  @Override
  public long bytesRead() {
    return 0;
  }

  @Override
  public void close() {}
}
