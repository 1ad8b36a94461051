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
 * Rows held in memory column by column, built once per benchmark trial so that a benchmark measures
 * encoding only. Each column is one primitive array sized for the rows (strings and binaries: 256
 * KB byte pages plus a position and a length per row), so 400,000 rows of the 52-column logs schema
 * take about 450 MB instead of the gigabytes that one object per row and per value would. No array
 * grows by copying, and the value bytes, most of the table, live in pages small enough not to be G1
 * humongous objects.
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

  private final Schema schema;
  private final int rows;
  private final boolean[][] nulls;
  private final long[][] primitives;

  /** Per bytes column: the pages; a value lies within one page. */
  private final byte[][][] pages;

  /** Per bytes column and row: page index (high 32 bits) and offset in the page (low 32 bits). */
  private final long[][] positions;

  private final int[][] lengths;
  private final BigDecimal[][] decimals;

  private InputTable(Builder b) {
    this.schema = b.schema;
    this.rows = b.rows;
    this.nulls = b.nulls;
    this.primitives = b.primitives;
    this.positions = b.positions;
    this.lengths = b.lengths;
    this.decimals = b.decimals;
    this.pages = new byte[schema.size()][][];
    for (int c = 0; c < pages.length; c++) {
      if (b.pages.get(c) != null) {
        pages[c] = b.pages.get(c).toArray(new byte[0][]);
      }
    }
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
    for (int[] l : lengths) {
      if (l != null) {
        for (int v : l) {
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

    /** Shows row {@code index} (0-based) from now on. */
    Cursor moveTo(int index) {
      if (index < 0 || index >= rows) {
        throw new IndexOutOfBoundsException("Cannot move to row " + index + " of " + rows);
      }
      row = index;
      return this;
    }

    @Override
    public Schema schema() {
      return schema;
    }

    @Override
    public boolean isNull(int column) {
      return nulls[column][row];
    }

    @Override
    public boolean getBoolean(int column) {
      return primitives[column][row] != 0;
    }

    @Override
    public int getInt(int column) {
      return (int) primitives[column][row];
    }

    @Override
    public long getLong(int column) {
      return primitives[column][row];
    }

    @Override
    public float getFloat(int column) {
      return Float.intBitsToFloat((int) primitives[column][row]);
    }

    @Override
    public double getDouble(int column) {
      return Double.longBitsToDouble(primitives[column][row]);
    }

    @Override
    public byte[] bytes(int column) {
      return pages[column][(int) (positions[column][row] >>> 32)];
    }

    @Override
    public int bytesOffset(int column) {
      return (int) positions[column][row];
    }

    @Override
    public int bytesLength(int column) {
      return lengths[column][row];
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
      return BigDecimal.valueOf(primitives[column][row], schema.field(column).type().scale());
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
    private final boolean[][] nulls;
    private final long[][] primitives;
    private final List<List<byte[]>> pages = new ArrayList<>();
    private final int[] pageFill;
    private final long[][] positions;
    private final int[][] lengths;
    private final BigDecimal[][] decimals;
    private int rows;

    private Builder(Schema schema, int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("Invalid rows " + capacity + ": must be positive");
      }
      this.schema = schema;
      this.capacity = capacity;
      int n = schema.size();
      nulls = new boolean[n][];
      primitives = new long[n][];
      positions = new long[n][];
      lengths = new int[n][];
      decimals = new BigDecimal[n][];
      pageFill = new int[n];
      for (int c = 0; c < n; c++) {
        ColumnType type = schema.field(c).type();
        nulls[c] = new boolean[capacity];
        if (type.isBytes()) {
          pages.add(new ArrayList<>());
          positions[c] = new long[capacity];
          lengths[c] = new int[capacity];
        } else {
          pages.add(null);
          primitives[c] = new long[capacity];
          if (type.precision() > ColumnType.MAX_LONG_DECIMAL_PRECISION) {
            decimals[c] = new BigDecimal[capacity];
          }
        }
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
      for (int c = 0; c < nulls.length; c++) {
        boolean isNull = row.isNull(c);
        nulls[c][r] = isNull;
        if (positions[c] != null) {
          if (!isNull) {
            addBytes(c, r, row.bytes(c), row.bytesOffset(c), row.bytesLength(c));
          }
        } else if (!isNull) {
          primitives[c][r] = primitive(row, c);
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

    private void addBytes(int c, int r, byte[] source, int offset, int length) {
      List<byte[]> columnPages = pages.get(c);
      if (columnPages.isEmpty()
          || pageFill[c] + length > columnPages.get(columnPages.size() - 1).length) {
        columnPages.add(new byte[Math.max(PAGE_BYTES, length)]);
        pageFill[c] = 0;
      }
      int page = columnPages.size() - 1;
      System.arraycopy(source, offset, columnPages.get(page), pageFill[c], length);
      positions[c][r] = ((long) page << 32) | pageFill[c];
      lengths[c][r] = length;
      pageFill[c] += length;
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
