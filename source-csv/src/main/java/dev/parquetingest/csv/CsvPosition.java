package dev.parquetingest.csv;

import dev.parquetingest.spi.Position;

/** A record's first physical line in a CSV file (1-based, header included). Immutable. */
final class CsvPosition implements Position {
  private final long line;

  CsvPosition(long line) {
    this.line = line;
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
