package dev.parquetingest.jmh;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Rows held in memory column by column, built once per benchmark trial so that a benchmark
 * measures encoding only. Each column is one primitive array (or one byte array plus offsets for
 * strings and binaries), so 400,000 rows of the 52-column logs schema take a few hundred MB
 * instead of the gigabytes that one object per row and per value would.
 *
 * <p>Immutable once {@link Builder#build() built} and safe to read from several threads; each
 * reader takes its own {@link #cursor()}.
 */
final class InputTable {
  private final Schema schema;
  private final int rows;
  private final boolean[][] nulls;
  private final long[][] primitives;
  private final byte[][] bytes;
  private final int[][] offsets;
  private final BigDecimal[][] decimals;

  private InputTable(Builder b) {
    this.schema = b.schema;
    this.rows = b.rows;
    int n = schema.size();
    this.nulls = new boolean[n][];
    this.primitives = new long[n][];
    this.bytes = new byte[n][];
    this.offsets = new int[n][];
    this.decimals = new BigDecimal[n][];
    for (int c = 0; c < n; c++) {
      nulls[c] = Arrays.copyOf(b.nulls[c], rows);
      if (b.primitives[c] != null) {
        primitives[c] = Arrays.copyOf(b.primitives[c], rows);
      }
      if (b.bytes[c] != null) {
        bytes[c] = Arrays.copyOf(b.bytes[c], b.offsets[c][rows]);
        offsets[c] = Arrays.copyOf(b.offsets[c], rows + 1);
      }
      if (b.decimals[c] != null) {
        decimals[c] = Arrays.copyOf(b.decimals[c], rows);
      }
    }
  }

  static Builder builder(Schema schema) {
    return new Builder(schema);
  }

  Schema schema() {
    return schema;
  }

  /** Rows held. */
  int rows() {
    return rows;
  }

  /** Bytes held by the string and binary columns (the rest is 9 bytes per value at most). */
  long variableBytes() {
    long sum = 0;
    for (byte[] b : bytes) {
      sum += b == null ? 0 : b.length;
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
      return bytes[column];
    }

    @Override
    public int bytesOffset(int column) {
      return offsets[column][row];
    }

    @Override
    public int bytesLength(int column) {
      return offsets[column][row + 1] - offsets[column][row];
    }

    @Override
    public String getString(int column) {
      return new String(
          bytes[column], bytesOffset(column), bytesLength(column), StandardCharsets.UTF_8);
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

  /** Appends copies of rows; not thread-safe. */
  static final class Builder {
    private final Schema schema;
    private final boolean[][] nulls;
    private final long[][] primitives;
    private final byte[][] bytes;
    private final int[][] offsets;
    private final BigDecimal[][] decimals;
    private int rows;
    private int capacity = 1024;

    private Builder(Schema schema) {
      this.schema = schema;
      int n = schema.size();
      nulls = new boolean[n][];
      primitives = new long[n][];
      bytes = new byte[n][];
      offsets = new int[n][];
      decimals = new BigDecimal[n][];
      for (int c = 0; c < n; c++) {
        ColumnType type = schema.field(c).type();
        nulls[c] = new boolean[capacity];
        if (type.isBytes()) {
          bytes[c] = new byte[capacity * 16];
          offsets[c] = new int[capacity + 1];
        } else {
          primitives[c] = new long[capacity];
          if (type.precision() > ColumnType.MAX_LONG_DECIMAL_PRECISION) {
            decimals[c] = new BigDecimal[capacity];
          }
        }
      }
    }

    /** Copies every value of {@code row}, which must have this table's schema. */
    Builder add(Row row) {
      if (rows == capacity) {
        grow();
      }
      int r = rows;
      for (int c = 0; c < nulls.length; c++) {
        boolean isNull = row.isNull(c);
        nulls[c][r] = isNull;
        if (bytes[c] != null) {
          int start = offsets[c][r];
          int length = isNull ? 0 : row.bytesLength(c);
          if (start + length > bytes[c].length) {
            bytes[c] = Arrays.copyOf(bytes[c], Math.max(start + length, bytes[c].length * 2));
          }
          if (!isNull) {
            System.arraycopy(row.bytes(c), row.bytesOffset(c), bytes[c], start, length);
          }
          offsets[c][r + 1] = start + length;
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

    InputTable build() {
      return new InputTable(this);
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

    private void grow() {
      capacity *= 2;
      for (int c = 0; c < nulls.length; c++) {
        nulls[c] = Arrays.copyOf(nulls[c], capacity);
        if (primitives[c] != null) {
          primitives[c] = Arrays.copyOf(primitives[c], capacity);
        }
        if (offsets[c] != null) {
          offsets[c] = Arrays.copyOf(offsets[c], capacity + 1);
        }
        if (decimals[c] != null) {
          decimals[c] = Arrays.copyOf(decimals[c], capacity);
        }
      }
    }
  }
}
