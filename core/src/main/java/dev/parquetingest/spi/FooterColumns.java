package dev.parquetingest.spi;

import static dev.parquetingest.spi.ThriftCompactReader.id;
import static dev.parquetingest.spi.ThriftCompactReader.type;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.Field;
import dev.parquetingest.schema.Schema;
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
 * The per-column statistics of a committed Parquet file, read back from its footer ({@link
 * CommittedFooter#columnStats}) for the manifest of a resumed run's kept files: per top-level
 * column of {@code schema}, the null count summed over the row groups and the smallest and largest
 * value ({@code Statistics.min_value}/{@code max_value}) merged over them, decoded as {@link
 * ColumnStats} wants them. It decodes the Thrift compact protocol of {@code FileMetaData} → {@code
 * row_groups} → {@code ColumnChunk.meta_data} → {@code path_in_schema}, {@code type}, {@code
 * statistics}. No bounds for binary columns, for floating columns (a footer does not tell whether
 * NaN was left out of them), nor for a column any row group has no bounds for. Stateless.
 */
final class FooterColumns {
  private FooterColumns() {}

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
      new Walk(new ThriftCompactReader(footer), byName).fileMetaData();
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

  /** The walk from {@code FileMetaData} down to each column chunk's statistics. */
  private static final class Walk {
    private final ThriftCompactReader r;
    private final Map<String, Merged> columns;

    Walk(ThriftCompactReader r, Map<String, Merged> columns) {
      this.r = r;
      this.columns = columns;
    }

    void fileMetaData() {
      for (int field = r.fieldHeader(0); field != 0; field = r.fieldHeader(id(field))) {
        if (id(field) == 4 && type(field) == ThriftCompactReader.LIST) {
          int n = r.listSize();
          for (int i = 0; i < n; i++) {
            rowGroup();
          }
        } else {
          r.skip(type(field));
        }
      }
    }

    private void rowGroup() {
      for (int field = r.fieldHeader(0); field != 0; field = r.fieldHeader(id(field))) {
        if (id(field) == 1 && type(field) == ThriftCompactReader.LIST) {
          int n = r.listSize();
          for (int i = 0; i < n; i++) {
            columnChunk();
          }
        } else {
          r.skip(type(field));
        }
      }
    }

    private void columnChunk() {
      for (int field = r.fieldHeader(0); field != 0; field = r.fieldHeader(id(field))) {
        if (id(field) == 3 && type(field) == ThriftCompactReader.STRUCT) {
          columnMetaData();
        } else {
          r.skip(type(field));
        }
      }
    }

    private void columnMetaData() {
      String path = null;
      int depth = 0;
      long values = 0;
      long nulls = -1;
      byte[][] bounds = {null, null};
      for (int field = r.fieldHeader(0); field != 0; field = r.fieldHeader(id(field))) {
        if (id(field) == 3 && type(field) == ThriftCompactReader.LIST) {
          depth = r.listSize();
          for (int i = 0; i < depth; i++) {
            String s = r.string();
            if (i == 0) {
              path = s;
            }
          }
        } else if (id(field) == 5 && type(field) == ThriftCompactReader.I64) {
          values = r.integer();
        } else if (id(field) == 12 && type(field) == ThriftCompactReader.STRUCT) {
          nulls = statistics(bounds);
        } else {
          r.skip(type(field));
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
      for (int field = r.fieldHeader(0); field != 0; field = r.fieldHeader(id(field))) {
        if (id(field) == 3 && type(field) == ThriftCompactReader.I64) {
          nulls = r.integer();
        } else if (id(field) == 5 && type(field) == ThriftCompactReader.BINARY) {
          bounds[1] = r.bytes();
        } else if (id(field) == 6 && type(field) == ThriftCompactReader.BINARY) {
          bounds[0] = r.bytes();
        } else {
          r.skip(type(field));
        }
      }
      return nulls;
    }
  }
}
