package dev.parquetingest.runtime;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.Field;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.ColumnStats;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-column statistics of a committed Parquet file, read back from its footer for the manifest
 * of a resumed run's kept files: per top-level column of {@code schema}, the null count summed over
 * the row groups and the smallest and largest value ({@code Statistics.min_value}/{@code
 * max_value}) merged over them, decoded as {@link ColumnStats} wants them. It decodes the Thrift
 * compact protocol of {@code FileMetaData} → {@code row_groups} → {@code ColumnChunk.meta_data} →
 * {@code path_in_schema}, {@code type}, {@code statistics}. No bounds for binary columns, for
 * floating columns (a footer does not tell whether NaN was left out of them), nor for a column any
 * row group has no bounds for. Stateless.
 */
final class FooterColumns {
  private FooterColumns() {}

  /**
   * Reads the footer of the committed file {@code name} through the sink (two reads of its tail).
   *
   * @return the statistics in schema order; empty if the footer cannot be read or does not match
   */
  static List<ColumnStats> read(
      dev.parquetingest.spi.Sink sink, String name, Schema schema, long rows) {
    byte[] tail = sink.readTail(name, 8);
    if (tail.length < 8 || rows < 0) {
      return List.of();
    }
    int length =
        (tail[0] & 0xFF) | (tail[1] & 0xFF) << 8 | (tail[2] & 0xFF) << 16 | (tail[3] & 0xFF) << 24;
    if (length <= 0 || length > Integer.MAX_VALUE - 16) {
      return List.of();
    }
    return read(sink.readTail(name, length + 8), schema, rows);
  }

  /**
   * @param footer {@code FileMetaData}'s bytes, from its start
   * @return the statistics in schema order; empty if the footer does not match the schema
   */
  static List<ColumnStats> read(byte[] footer, Schema schema, long rows) {
    Map<String, Merged> byName = new HashMap<>();
    for (Field f : schema.fields()) {
      byName.put(f.name(), new Merged(f.type()));
    }
    try {
      new Reader(footer, byName).fileMetaData();
    } catch (RuntimeException e) {
      return List.of();
    }
    List<ColumnStats> out = new ArrayList<>(schema.size());
    for (Field f : schema.fields()) {
      Merged m = byName.get(f.name());
      if (!m.seen) {
        return List.of();
      }
      Object min = null;
      Object max = null;
      if (m.boundsKnown && m.min != null && m.max != null) {
        try {
          min = decode(f.type(), m.min);
          max = decode(f.type(), m.max);
        } catch (RuntimeException e) {
          min = null; // a bound that does not decode as the column's type: none
        }
      }
      if (min == null || max == null || m.nulls >= rows) {
        min = null;
        max = null;
      }
      out.add(new ColumnStats(f.name(), Math.min(m.nulls, rows), rows, min, max));
    }
    return List.copyOf(out);
  }

  /** One column's statistics over the row groups so far. */
  private static final class Merged {
    final ColumnType type;
    boolean seen;
    boolean boundsKnown = true;
    long nulls;
    byte[] min;
    byte[] max;

    Merged(ColumnType type) {
      this.type = type;
    }

    void add(long chunkNulls, long chunkValues, byte[] chunkMin, byte[] chunkMax) {
      seen = true;
      nulls += chunkNulls;
      if (chunkNulls == chunkValues) {
        return; // only nulls: no bounds, none needed
      }
      if (chunkMin == null || chunkMax == null) {
        boundsKnown = false;
        return;
      }
      if (min == null || compare(type, chunkMin, min) < 0) {
        min = chunkMin;
      }
      if (max == null || compare(type, chunkMax, max) > 0) {
        max = chunkMax;
      }
    }
  }

  /** Parquet's order of two plain-encoded values of the type. */
  private static int compare(ColumnType type, byte[] a, byte[] b) {
    switch (type.kind()) {
      case BOOLEAN:
        return Integer.compare(a[0], b[0]);
      case INT32:
      case DATE:
        return Integer.compare(le(a).getInt(), le(b).getInt());
      case INT64:
      case TIMESTAMP_MILLIS:
      case TIMESTAMP_MICROS:
        return Long.compare(le(a).getLong(), le(b).getLong());
      case DECIMAL:
        return unscaled(a).compareTo(unscaled(b));
      default:
        return Arrays.compareUnsigned(a, b);
    }
  }

  private static ByteBuffer le(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A decimal's unscaled value: INT32 or INT64 little-endian, else big-endian two's complement. */
  private static BigInteger unscaled(byte[] b) {
    if (b.length == 4) {
      return BigInteger.valueOf(le(b).getInt());
    }
    if (b.length == 8) {
      return BigInteger.valueOf(le(b).getLong());
    }
    return new BigInteger(b);
  }

  /** The value as the row model has it, or null where no bound is given. */
  private static Object decode(ColumnType type, byte[] b) {
    switch (type.kind()) {
      case BOOLEAN:
        return b[0] != 0;
      case INT32:
        return le(b).getInt();
      case INT64:
        return le(b).getLong();
      case DATE:
        return LocalDate.ofEpochDay(le(b).getInt());
      case TIMESTAMP_MILLIS:
      case TIMESTAMP_MICROS:
        {
          long v = le(b).getLong();
          long micros =
              type.kind() == dev.parquetingest.schema.TypeKind.TIMESTAMP_MILLIS
                  ? Math.multiplyExact(v, 1000)
                  : v;
          Instant i =
              Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L))
                  .plusNanos(Math.floorMod(micros, 1_000_000L) * 1000);
          return type.utcAdjusted() ? i : LocalDateTime.ofInstant(i, ZoneOffset.UTC);
        }
      case DECIMAL:
        return new BigDecimal(unscaled(b), type.scale());
      case STRING:
        try {
          CharBuffer chars =
              StandardCharsets.UTF_8
                  .newDecoder()
                  .onMalformedInput(CodingErrorAction.REPORT)
                  .onUnmappableCharacter(CodingErrorAction.REPORT)
                  .decode(ByteBuffer.wrap(b));
          return chars.toString();
        } catch (CharacterCodingException e) {
          return null;
        }
      default:
        return null; // binary, float, double
    }
  }

  /** A Thrift compact protocol reader over a footer. Not thread-safe. */
  private static final class Reader {
    private final byte[] b;
    private final Map<String, Merged> columns;
    private int pos;

    Reader(byte[] b, Map<String, Merged> columns) {
      this.b = b;
      this.columns = columns;
    }

    void fileMetaData() {
      short last = 0;
      while (true) {
        int header = b[pos++] & 0xFF;
        int type = header & 0x0F;
        if (type == 0) {
          return;
        }
        short id = fieldId(header, last);
        last = id;
        if (id == 4 && type == 9) {
          int[] list = listHeader();
          for (int i = 0; i < list[0]; i++) {
            rowGroup();
          }
        } else {
          skip(type);
        }
      }
    }

    private void rowGroup() {
      short last = 0;
      while (true) {
        int header = b[pos++] & 0xFF;
        int type = header & 0x0F;
        if (type == 0) {
          return;
        }
        short id = fieldId(header, last);
        last = id;
        if (id == 1 && type == 9) {
          int[] list = listHeader();
          for (int i = 0; i < list[0]; i++) {
            columnChunk();
          }
        } else {
          skip(type);
        }
      }
    }

    private void columnChunk() {
      short last = 0;
      while (true) {
        int header = b[pos++] & 0xFF;
        int type = header & 0x0F;
        if (type == 0) {
          return;
        }
        short id = fieldId(header, last);
        last = id;
        if (id == 3 && type == 12) {
          columnMetaData();
        } else {
          skip(type);
        }
      }
    }

    private void columnMetaData() {
      String path = null;
      int depth = 0;
      long values = 0;
      long nulls = -1;
      byte[][] bounds = {null, null};
      short last = 0;
      while (true) {
        int header = b[pos++] & 0xFF;
        int type = header & 0x0F;
        if (type == 0) {
          break;
        }
        short id = fieldId(header, last);
        last = id;
        if (id == 3 && type == 9) {
          int[] list = listHeader();
          depth = list[0];
          for (int i = 0; i < list[0]; i++) {
            String s = string();
            if (i == 0) {
              path = s;
            }
          }
        } else if (id == 5 && type == 6) {
          values = zigzag(varint());
        } else if (id == 12 && type == 12) {
          nulls = statistics(bounds);
        } else {
          skip(type);
        }
      }
      Merged m = path == null || depth != 1 ? null : columns.get(path);
      if (m != null) {
        if (nulls < 0) {
          m.seen = true;
          m.boundsKnown = false;
          m.nulls = Long.MAX_VALUE / 2; // unknown: no column statistics at all
          return;
        }
        m.add(nulls, values, bounds[0], bounds[1]);
      }
    }

    /** Reads {@code Statistics}: min_value into {@code bounds[0]}, max_value into [1]. */
    private long statistics(byte[][] bounds) {
      long nulls = -1;
      short last = 0;
      while (true) {
        int header = b[pos++] & 0xFF;
        int type = header & 0x0F;
        if (type == 0) {
          return nulls;
        }
        short id = fieldId(header, last);
        last = id;
        if (id == 3 && type == 6) {
          nulls = zigzag(varint());
        } else if (id == 5 && type == 8) {
          bounds[1] = bytes();
        } else if (id == 6 && type == 8) {
          bounds[0] = bytes();
        } else {
          skip(type);
        }
      }
    }

    private short fieldId(int header, short last) {
      int delta = header >>> 4;
      return delta != 0 ? (short) (last + delta) : (short) zigzag(varint());
    }

    private int[] listHeader() {
      int h = b[pos++] & 0xFF;
      int size = h >>> 4;
      if (size == 15) {
        size = (int) varint();
      }
      return new int[] {size, h & 0x0F};
    }

    private byte[] bytes() {
      int n = (int) varint();
      byte[] v = Arrays.copyOfRange(b, pos, pos + n);
      pos += n;
      return v;
    }

    private String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    private void skip(int type) {
      switch (type) {
        case 1:
        case 2:
          return;
        case 3:
          pos++;
          return;
        case 4:
        case 5:
        case 6:
          varint();
          return;
        case 7:
          pos += 8;
          return;
        case 8:
          {
            int n = (int) varint();
            pos += n;
            return;
          }
        case 9:
        case 10:
          {
            int[] list = listHeader();
            for (int i = 0; i < list[0]; i++) {
              skipElement(list[1]);
            }
            return;
          }
        case 11:
          {
            int size = (int) varint();
            if (size > 0) {
              int kinds = b[pos++] & 0xFF;
              for (int i = 0; i < size; i++) {
                skipElement(kinds >>> 4);
                skipElement(kinds & 0x0F);
              }
            }
            return;
          }
        case 12:
          skipStruct();
          return;
        default:
          throw new IllegalStateException("unknown Thrift type " + type);
      }
    }

    private void skipElement(int type) {
      if (type == 1 || type == 2) {
        pos++;
      } else {
        skip(type);
      }
    }

    private void skipStruct() {
      short last = 0;
      while (true) {
        int header = b[pos++] & 0xFF;
        int type = header & 0x0F;
        if (type == 0) {
          return;
        }
        last = fieldId(header, last);
        skip(type);
      }
    }

    private long varint() {
      long result = 0;
      int shift = 0;
      while (true) {
        byte x = b[pos++];
        result |= (long) (x & 0x7F) << shift;
        if ((x & 0x80) == 0) {
          return result;
        }
        shift += 7;
      }
    }

    private static long zigzag(long n) {
      return (n >>> 1) ^ -(n & 1);
    }
  }
}
