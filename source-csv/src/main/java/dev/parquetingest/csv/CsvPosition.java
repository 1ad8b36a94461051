package dev.parquetingest.csv;

import dev.parquetingest.spi.Position;

/**
 * A record's first physical line in a CSV file (1-based, header included) and the offset of its
 * first byte. Immutable: for a part of a split file, the line is the part's {@link PartLines} plus
 * the line within the part, added (and, the first time, counted) when asked for.
 */
final class CsvPosition implements Position {
  private final long line;
  private final long offset;
  private final PartLines part;

  CsvPosition(long line, long offset) {
    this(line, offset, null);
  }

  /** Line {@code line} of {@code part} (counted from 0 at its start), or of the file if null. */
  CsvPosition(long line, long offset, PartLines part) {
    this.line = line;
    this.offset = offset;
    this.part = part;
  }

  @Override
  public long offset() {
    return offset;
  }

  @Override
  public long line() {
    return part == null ? line : part.line(line);
  }

  @Override
  public String describe() {
    return "line " + line();
  }

  @Override
  public String toString() {
    return describe();
  }
}
