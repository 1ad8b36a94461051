package dev.parquetingest.jmh;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows held in memory, built once per benchmark trial so that a benchmark measures encoding only.
 * The table is laid out <em>row by row</em>, as a source hands rows to an encoder: one row's values
 * (a {@code long} per column: the value's bits, or for strings and binaries the position of its
 * bytes), its null flags and its byte lengths sit next to each other, and the string and binary
 * bytes of consecutive rows follow each other in 256 KB byte pages. Reading a row therefore touches
 * a few consecutive cache lines, as reading a row out of a CSV parser's line buffer does; a
 * column-major layout (one array per column, read row by row) would make every value of a 52-column
 * row a cache miss, a cost of the benchmark that no real source has and that both backends would
 * pay alike (it was about 30% of the arrow backend's time at 400K logs rows). Every array is a
 * block of {@link #BLOCK_BYTES} at most, and the value bytes live in pages small enough not to be
 * G1 humongous objects, so the input never fragments the heap.
 *
 * <p>Immutable once {@link Builder#build() built} and safe to read from several threads; each
 * reader takes its own {@link #cursor()}.
 */
final class InputTable {
  /**
   * Size of the byte pages that hold string and binary values: well below G1's humongous-object
   * threshold (half a region, at least 512 KB), so that the input never fragments the heap.
   */
  static final int PAGE_BYTES = 256 * 1024;

  /** The most bytes of one block of row values (rows per block = this / 8 / columns). */
  static final int BLOCK_BYTES = 256 * 1024;

  private final Schema schema;
  private final int rows;
  private final int columns;

  /** Rows per block, a power of two: row r is in block r >>> blockShift, at r & blockMask. */
  private final int blockShift;

  private final int blockMask;

  /** Per block, per row, per column: null flags. */
  private final boolean[][] nulls;

  /** Per block, per row, per column: the value bits, or page (high 32) and offset (low 32). */
  private final long[][] values;

  /** Per block, per row, per bytes column (numbered by {@link #bytesIndex}): lengths. */
  private final int[][] lengths;

  /** Per column: its number among the bytes columns, or -1. */
  private final int[] bytesIndex;

  private final int bytesColumns;

  /** The byte pages of every string and binary value, in row order; a value lies in one page. */
  private final byte[][] pages;

  private final BigDecimal[][] decimals;

  private InputTable(Builder b) {
    this.schema = b.schema;
    this.rows = b.rows;
    this.columns = b.columns;
    this.blockShift = b.blockShift;
    this.blockMask = (1 << blockShift) - 1;
    this.nulls = b.nulls;
    this.values = b.values;
    this.lengths = b.lengths;
    this.bytesIndex = b.bytesIndex;
    this.bytesColumns = b.bytesColumns;
    this.decimals = b.decimals;
    this.pages = b.pages.toArray(new byte[0][]);
  }

  /** A builder for exactly {@code rows} rows. */
  static Builder builder(Schema schema, int rows) {
    return new Builder(schema, rows);
  }

  Schema schema() {
    return schema;
  }

  /** Rows held. */
  int rows() {
    return rows;
  }

  /** Bytes held by the string and binary columns' values. */
  long variableBytes() {
    long sum = 0;
    for (int[] block : lengths) {
      if (block != null) {
        for (int v : block) {
          sum += v;
        }
      }
    }
    return sum;
  }

  /** A new row view positioned before the first row. */
  Cursor cursor() {
    return new Cursor();
  }

  /**
   * A {@link Row} view of one row of the table; {@link #moveTo} changes which. Allocates nothing
   * except where {@link Row} requires it (strings, boxed values). Not thread-safe.
   */
  final class Cursor implements Row {
    private int row = -1;
    private boolean[] rowNulls;
    private long[] rowValues;
    private int[] rowLengths;
    private int at;
    private int lengthAt;

    /** Shows row {@code index} (0-based) from now on. */
    Cursor moveTo(int index) {
      if (index < 0 || index >= rows) {
        throw new IndexOutOfBoundsException("Cannot move to row " + index + " of " + rows);
      }
      row = index;
      int block = index >>> blockShift;
      int inBlock = index & blockMask;
      rowNulls = nulls[block];
      rowValues = values[block];
      rowLengths = lengths[block];
      at = inBlock * columns;
      lengthAt = inBlock * bytesColumns;
      return this;
    }

    @Override
    public Schema schema() {
      return schema;
    }

    @Override
    public boolean isNull(int column) {
      return rowNulls[at + column];
    }

    @Override
    public boolean getBoolean(int column) {
      return rowValues[at + column] != 0;
    }

    @Override
    public int getInt(int column) {
      return (int) rowValues[at + column];
    }

    @Override
    public long getLong(int column) {
      return rowValues[at + column];
    }

    @Override
    public float getFloat(int column) {
      return Float.intBitsToFloat((int) rowValues[at + column]);
    }

    @Override
    public double getDouble(int column) {
      return Double.longBitsToDouble(rowValues[at + column]);
    }

    @Override
    public byte[] bytes(int column) {
      return pages[(int) (rowValues[at + column] >>> 32)];
    }

    @Override
    public int bytesOffset(int column) {
      return (int) rowValues[at + column];
    }

    @Override
    public int bytesLength(int column) {
      return rowLengths[lengthAt + bytesIndex[column]];
    }

    @Override
    public String getString(int column) {
      return new String(
          bytes(column), bytesOffset(column), bytesLength(column), StandardCharsets.UTF_8);
    }

    @Override
    public BigDecimal getDecimal(int column) {
      BigDecimal[] big = decimals[column];
      if (big != null) {
        return big[row];
      }
      return BigDecimal.valueOf(rowValues[at + column], schema.field(column).type().scale());
    }

    @Override
    public Object get(int column) {
      return MutableRow.boxed(this, column);
    }
  }

  /** Appends copies of exactly the announced number of rows; not thread-safe. */
  static final class Builder {
    private final Schema schema;
    private final int capacity;
    private final int columns;
    private final int blockShift;
    private final boolean[][] nulls;
    private final long[][] values;
    private final int[][] lengths;
    private final int[] bytesIndex;
    private final int bytesColumns;
    private final List<byte[]> pages = new ArrayList<>();
    private int pageFill;
    private final BigDecimal[][] decimals;
    private int rows;

    private Builder(Schema schema, int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("Invalid rows " + capacity + ": must be positive");
      }
      this.schema = schema;
      this.capacity = capacity;
      int n = schema.size();
      this.columns = n;
      bytesIndex = new int[n];
      decimals = new BigDecimal[n][];
      int b = 0;
      for (int c = 0; c < n; c++) {
        ColumnType type = schema.field(c).type();
        bytesIndex[c] = type.isBytes() ? b++ : -1;
        if (!type.isBytes() && type.precision() > ColumnType.MAX_LONG_DECIMAL_PRECISION) {
          decimals[c] = new BigDecimal[capacity];
        }
      }
      this.bytesColumns = b;
      int perBlock = Integer.highestOneBit(Math.max(1, BLOCK_BYTES / 8 / Math.max(1, n)));
      this.blockShift = Integer.numberOfTrailingZeros(perBlock);
      int blocks = (int) ((capacity + (long) perBlock - 1) / perBlock);
      nulls = new boolean[blocks][];
      values = new long[blocks][];
      lengths = new int[blocks][];
      for (int k = 0; k < blocks; k++) {
        int inBlock = Math.min(perBlock, capacity - k * perBlock);
        nulls[k] = new boolean[inBlock * n];
        values[k] = new long[inBlock * n];
        lengths[k] = new int[inBlock * b];
      }
    }

    /**
     * Copies every value of {@code row}, which must have this table's schema.
     *
     * @throws IllegalStateException if the announced number of rows is already in
     */
    Builder add(Row row) {
      if (rows == capacity) {
        throw new IllegalStateException("Cannot add row " + (rows + 1) + ": built for " + capacity);
      }
      int r = rows;
      int block = r >>> blockShift;
      int inBlock = r & ((1 << blockShift) - 1);
      int at = inBlock * columns;
      int lengthAt = inBlock * bytesColumns;
      for (int c = 0; c < columns; c++) {
        boolean isNull = row.isNull(c);
        nulls[block][at + c] = isNull;
        if (isNull) {
          continue;
        }
        if (bytesIndex[c] >= 0) {
          int length = row.bytesLength(c);
          values[block][at + c] = addBytes(row.bytes(c), row.bytesOffset(c), length);
          lengths[block][lengthAt + bytesIndex[c]] = length;
        } else {
          values[block][at + c] = primitive(row, c);
          if (decimals[c] != null) {
            decimals[c][r] = row.getDecimal(c);
          }
        }
      }
      rows++;
      return this;
    }

    /**
     * The table.
     *
     * @throws IllegalStateException if fewer rows were added than announced
     */
    InputTable build() {
      if (rows != capacity) {
        throw new IllegalStateException(
            "Cannot build the table: " + rows + " rows added, " + capacity + " announced");
      }
      return new InputTable(this);
    }

    /** Copies a value into the pages; returns its page (high 32 bits) and offset (low 32). */
    private long addBytes(byte[] source, int offset, int length) {
      if (pages.isEmpty() || pageFill + length > pages.get(pages.size() - 1).length) {
        pages.add(new byte[Math.max(PAGE_BYTES, length)]);
        pageFill = 0;
      }
      int page = pages.size() - 1;
      System.arraycopy(source, offset, pages.get(page), pageFill, length);
      long position = ((long) page << 32) | pageFill;
      pageFill += length;
      return position;
    }

    private long primitive(Row row, int c) {
      ColumnType type = schema.field(c).type();
      switch (type.kind()) {
        case BOOLEAN:
          return row.getBoolean(c) ? 1 : 0;
        case INT32:
        case DATE:
          return row.getInt(c);
        case FLOAT:
          return Float.floatToRawIntBits(row.getFloat(c));
        case DOUBLE:
          return Double.doubleToRawLongBits(row.getDouble(c));
        case DECIMAL:
          return type.precision() <= ColumnType.MAX_LONG_DECIMAL_PRECISION ? row.getLong(c) : 0;
        default:
          return row.getLong(c);
      }
    }
  }
}
