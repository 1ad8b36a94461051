package dev.parquetingest.backend.arrow;

import dev.parquetingest.schema.Row;

/**
 * Appends whole rows to the columns of one chunk: one loop per kind of column (every string and
 * binary column, then every long, int, double, float and boolean column, then the rest) over
 * indices fixed when the encoder starts, calling that kind's {@code put} method of {@link
 * ChunkColumn}. This replaces a switch on the kind per value, a branch that alternates
 * unpredictably across a row's columns, and checks the index against the chunk's capacity once per
 * row instead of once per value. Which columns a row's values go to, and in what state the vectors
 * are left, is exactly as with {@link ChunkColumn#append} column by column.
 *
 * <p>Not thread-safe; the columns' lifecycle is unchanged ({@link ChunkColumn#seal}, {@link
 * ChunkColumn#reset}).
 */
final class ChunkRows {
  private final ChunkColumn.Bytes[] bytes;
  private final int[] bytesAt;
  private final ChunkColumn[] longs;
  private final int[] longsAt;
  private final ChunkColumn[] ints;
  private final int[] intsAt;
  private final ChunkColumn[] doubles;
  private final int[] doublesAt;
  private final ChunkColumn[] floats;
  private final int[] floatsAt;
  private final ChunkColumn.Booleans[] booleans;
  private final int[] booleansAt;
  private final ChunkColumn[] others;
  private final int[] othersAt;

  /** The rows every column can hold: the smallest capacity among them. */
  private final int capacity;

  /** Rows for {@code columns}, column {@code i} taking the row's value of column {@code i}. */
  ChunkRows(ChunkColumn[] columns) {
    int[] counts = new int[7];
    int smallest = Integer.MAX_VALUE;
    for (ChunkColumn c : columns) {
      counts[c.kind()]++;
      smallest = Math.min(smallest, c.capacity);
    }
    this.capacity = smallest;
    bytes = new ChunkColumn.Bytes[counts[ChunkColumn.KIND_BYTES]];
    bytesAt = new int[bytes.length];
    longs = new ChunkColumn[counts[ChunkColumn.KIND_LONG]];
    longsAt = new int[longs.length];
    ints = new ChunkColumn[counts[ChunkColumn.KIND_INT]];
    intsAt = new int[ints.length];
    doubles = new ChunkColumn[counts[ChunkColumn.KIND_DOUBLE]];
    doublesAt = new int[doubles.length];
    floats = new ChunkColumn[counts[ChunkColumn.KIND_FLOAT]];
    floatsAt = new int[floats.length];
    booleans = new ChunkColumn.Booleans[counts[ChunkColumn.KIND_BOOLEAN]];
    booleansAt = new int[booleans.length];
    others = new ChunkColumn[counts[ChunkColumn.KIND_OTHER]];
    othersAt = new int[others.length];
    int[] fill = new int[7];
    for (int i = 0; i < columns.length; i++) {
      ChunkColumn c = columns[i];
      int kind = c.kind();
      int k = fill[kind]++;
      switch (kind) {
        case ChunkColumn.KIND_BYTES:
          bytes[k] = (ChunkColumn.Bytes) c;
          bytesAt[k] = i;
          break;
        case ChunkColumn.KIND_LONG:
          longs[k] = c;
          longsAt[k] = i;
          break;
        case ChunkColumn.KIND_INT:
          ints[k] = c;
          intsAt[k] = i;
          break;
        case ChunkColumn.KIND_DOUBLE:
          doubles[k] = c;
          doublesAt[k] = i;
          break;
        case ChunkColumn.KIND_FLOAT:
          floats[k] = c;
          floatsAt[k] = i;
          break;
        case ChunkColumn.KIND_BOOLEAN:
          booleans[k] = (ChunkColumn.Booleans) c;
          booleansAt[k] = i;
          break;
        default:
          others[k] = c;
          othersAt[k] = i;
          break;
      }
    }
  }

  /**
   * Appends every value of {@code row} at {@code index} of its column.
   *
   * @return the bytes of variable-width data appended
   * @throws IndexOutOfBoundsException if {@code index} is not below the rows every column was
   *     allocated for (nothing is appended then)
   */
  long append(Row row, int index) {
    if (index >= capacity || index < 0) {
      throw new IndexOutOfBoundsException(
          "Cannot append row " + index + " to a chunk of " + capacity + " rows");
    }
    long variable = 0;
    ChunkColumn.Bytes[] b = bytes;
    int[] at = bytesAt;
    for (int k = 0; k < b.length; k++) {
      variable += b[k].put(row, at[k], index);
    }
    ChunkColumn[] c = longs;
    at = longsAt;
    for (int k = 0; k < c.length; k++) {
      c[k].putLong(row, at[k], index);
    }
    c = ints;
    at = intsAt;
    for (int k = 0; k < c.length; k++) {
      c[k].putInt(row, at[k], index);
    }
    c = doubles;
    at = doublesAt;
    for (int k = 0; k < c.length; k++) {
      c[k].putDouble(row, at[k], index);
    }
    c = floats;
    at = floatsAt;
    for (int k = 0; k < c.length; k++) {
      c[k].putFloat(row, at[k], index);
    }
    ChunkColumn.Booleans[] z = booleans;
    at = booleansAt;
    for (int k = 0; k < z.length; k++) {
      z[k].put(row, at[k], index);
    }
    c = others;
    at = othersAt;
    for (int k = 0; k < c.length; k++) {
      variable += c[k].append(row, at[k], index);
    }
    return variable;
  }
}
