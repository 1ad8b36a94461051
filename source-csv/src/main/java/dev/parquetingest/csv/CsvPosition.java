package dev.parquetingest.csv;

import dev.parquetingest.spi.Position;

/**
 * A record's first physical line in a CSV file (1-based, header included) and the offset of its
 * first byte. Immutable.
 */
final class CsvPosition implements Position {
  private final long line;
  private final long offset;

  CsvPosition(long line, long offset) {
    this.line = line;
    this.offset = offset;
  }

  @Override
  public long offset() {
    return offset;
  }

  @Override
  public long line() {
    return line;
  }

  @Override
  public String describe() {
    return "line " + line;
  }

  @Override
  public String toString() {
    return describe();
  }
}
