package dev.parquetingest.backend.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.common.DataSize;
import dev.parquetingest.parquet.ParquetSchemas;
import dev.parquetingest.parquet.WriterProperties;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.EncoderOptions;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.SizeStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.statistics.geospatial.GeospatialStatistics;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The page statistics of our column writers against parquet-java's {@link Statistics} classes as
 * the oracle: for every page a column writer cuts, parquet-java's statistics of the type, fed every
 * value of that page one by one (as its own column writers feed them), must equal ours: null count,
 * min and max in parquet-java's orderings (unsigned bytes for strings and binary, signed big-endian
 * for wide decimals, NaN and signed zeros for floats). Several pages per column, nulls,
 * dictionaries on and off.
 */
class PageStatisticsTest {
  private static final String[] TEXT = {
    "", "a", "ab", "\u00e9", "\uFFFD", "\uD83D\uDE00", "z", "\u0000", "A"
  };

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "boolean", "int32", "int64", "float", "double", "string", "binary", "date", "ts_ms", "dec9",
        "dec18", "dec38"
      })
  void pageStatisticsEqualParquetJavasForEveryPage(String kind) {
    ColumnType type = type(kind);
    for (boolean dictionary : new boolean[] {true, false}) {
      Schema schema = Schema.builder().optional("v", type).build();
      ColumnDescriptor descriptor = ParquetSchemas.toMessageType(schema).getColumns().get(0);
      ParquetProperties props =
          WriterProperties.parquetProperties(
              EncoderOptions.builder()
                  .pageSize(
                      DataSize.ofBytes(
                          type.kind() == dev.parquetingest.schema.TypeKind.BOOLEAN ? 128 : 2048))
                  .dictionaryPageSize(DataSize.ofKilobytes(2))
                  .dictionaryEnabled(dictionary)
                  .build());
      CapturingPageWriter pages = new CapturingPageWriter();
      ColumnChunkWriter writer =
          ColumnarParquetWriter.columnWriter(schema.field(0), descriptor, props, dictionary);
      writer.startChunk(pages, new ByteBuilder(1024));
      List<Object> values = new ArrayList<>();
      SplittableRandom random = new SplittableRandom(kind.hashCode());
      try (BufferAllocator allocator = new RootAllocator();
          ChunkColumn column = ChunkColumn.of(schema.field(0), allocator, 1000)) {
        MutableRow row = new MutableRow(schema);
        for (int chunk = 0; chunk < 5; chunk++) {
          int n = chunk == 4 ? 333 : 1000;
          column.reset();
          for (int i = 0; i < n; i++) {
            row.clear();
            fill(row, type, random);
            column.append(row, 0, i);
            values.add(row.isNull(0) ? null : row.get(0));
          }
          column.seal(n);
          writer.load(column.vector, n);
          writer.write(0, n / 2);
          writer.write(n / 2, n);
        }
        writer.finishChunk();
      }
      assertThat(pages.statistics).as("pages of %s", kind).hasSizeGreaterThan(2);
      int at = 0;
      for (int p = 0; p < pages.statistics.size(); p++) {
        Statistics<?> expected = Statistics.createStats(descriptor.getPrimitiveType());
        for (int k = 0; k < pages.valueCounts.get(p); k++) {
          feed(expected, values.get(at++), type, descriptor);
        }
        Statistics<?> actual = pages.statistics.get(p);
        assertThat(actual)
            .as(
                "%s page %d (dictionary %s): ours %s, parquet-java %s",
                kind, p, dictionary, actual, expected)
            .isEqualTo(expected);
        assertThat(actual.getNumNulls()).isEqualTo(expected.getNumNulls());
        assertThat(actual.hasNonNullValue()).isEqualTo(expected.hasNonNullValue());
      }
      assertThat(at).isEqualTo(values.size());
    }
  }

  private static ColumnType type(String kind) {
    switch (kind) {
      case "boolean":
        return ColumnType.booleanType();
      case "int32":
        return ColumnType.int32();
      case "int64":
        return ColumnType.int64();
      case "float":
        return ColumnType.float32();
      case "double":
        return ColumnType.float64();
      case "string":
        return ColumnType.string();
      case "binary":
        return ColumnType.binary();
      case "date":
        return ColumnType.date();
      case "ts_ms":
        return ColumnType.timestampMillis(true);
      case "dec9":
        return ColumnType.decimal(9, 2);
      case "dec18":
        return ColumnType.decimal(18, 3);
      default:
        return ColumnType.decimal(38, 5);
    }
  }

  private static void fill(MutableRow row, ColumnType type, SplittableRandom r) {
    if (r.nextInt(6) == 0) {
      row.setNull(0);
      return;
    }
    switch (type.kind()) {
      case BOOLEAN:
        row.setBoolean(0, r.nextInt(3) == 0);
        break;
      case INT32:
      case DATE:
        row.setInt(
            0, r.nextInt(4) == 0 ? Integer.MIN_VALUE + r.nextInt(2) : r.nextInt(-5000, 5000));
        break;
      case INT64:
      case TIMESTAMP_MILLIS:
        row.setLong(
            0, r.nextInt(4) == 0 ? Long.MAX_VALUE - r.nextInt(2) : r.nextLong(-1L << 40, 1L << 40));
        break;
      case FLOAT:
        {
          float[] special = {Float.NaN, -0.0f, 0.0f, Float.NEGATIVE_INFINITY};
          row.setFloat(
              0,
              r.nextInt(5) == 0 ? special[r.nextInt(special.length)] : r.nextInt(-100, 100) / 4f);
          break;
        }
      case DOUBLE:
        {
          double[] special = {Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY};
          row.setDouble(
              0,
              r.nextInt(5) == 0 ? special[r.nextInt(special.length)] : r.nextInt(-100, 100) / 8.0);
          break;
        }
      case STRING:
        {
          StringBuilder sb = new StringBuilder();
          int n = r.nextInt(6);
          for (int k = 0; k < n; k++) {
            sb.append(TEXT[r.nextInt(TEXT.length)]);
          }
          row.setString(0, sb.toString());
          break;
        }
      case BINARY:
        {
          // short values of any byte, and values up to 19 bytes from a few bytes (0x80 and 0xFF
          // above 0x7F unsigned), so that many share their first 8 bytes or differ in them only
          // by the sign bit: the first-word comparison and the rest both decide
          boolean longer = r.nextBoolean();
          byte[] b = new byte[r.nextInt(longer ? 20 : 5)];
          int[] few = {0x00, 0x01, 0x7F, 0x80, 0xFF};
          for (int k = 0; k < b.length; k++) {
            b[k] = (byte) (longer ? few[r.nextInt(k < 6 ? 2 : few.length)] : r.nextInt(256));
          }
          row.setBytes(0, b, 0, b.length);
          break;
        }
      default:
        {
          BigInteger limit = BigInteger.TEN.pow(type.precision());
          BigInteger v =
              new BigInteger(type.precision() * 3, new java.util.Random(r.nextLong())).mod(limit);
          row.setDecimal(0, new BigDecimal(r.nextBoolean() ? v : v.negate(), type.scale()));
        }
    }
  }

  /** One value into parquet-java's statistics, as its column writer passes it. */
  private static void feed(Statistics<?> s, Object v, ColumnType type, ColumnDescriptor d) {
    if (v == null) {
      s.incrementNumNulls();
      return;
    }
    switch (type.kind()) {
      case BOOLEAN:
        s.updateStats((Boolean) v);
        break;
      case INT32:
        s.updateStats((Integer) v);
        break;
      case DATE:
        s.updateStats((int) ((java.time.LocalDate) v).toEpochDay());
        break;
      case INT64:
        s.updateStats((Long) v);
        break;
      case TIMESTAMP_MILLIS:
        s.updateStats(((java.time.Instant) v).toEpochMilli());
        break;
      case FLOAT:
        s.updateStats((Float) v);
        break;
      case DOUBLE:
        s.updateStats((Double) v);
        break;
      case STRING:
        s.updateStats(Binary.fromString((String) v));
        break;
      case BINARY:
        s.updateStats(Binary.fromConstantByteArray((byte[]) v));
        break;
      default:
        {
          BigDecimal dec = (BigDecimal) v;
          if (type.precision() <= 9) {
            s.updateStats(dec.unscaledValue().intValueExact());
          } else if (type.precision() <= 18) {
            s.updateStats(dec.unscaledValue().longValueExact());
          } else {
            int n = d.getPrimitiveType().getTypeLength();
            byte[] b = new byte[n];
            ParquetSchemas.unscaledBytes(dec, b, n);
            s.updateStats(Binary.fromConstantByteArray(b));
          }
        }
    }
  }

  /** A hand-written page writer that keeps each page's value count and statistics. */
  private static final class CapturingPageWriter implements PageWriter {
    final List<Statistics<?>> statistics = new ArrayList<>();
    final List<Integer> valueCounts = new ArrayList<>();
    long bytes;

    @Override
    @Deprecated
    public void writePage(
        BytesInput b, int valueCount, Statistics<?> s, Encoding rl, Encoding dl, Encoding values) {
      writePage(b, valueCount, valueCount, s, null, null, rl, dl, values);
    }

    @Override
    public void writePage(
        BytesInput b,
        int valueCount,
        int rowCount,
        Statistics<?> s,
        Encoding rl,
        Encoding dl,
        Encoding values) {
      writePage(b, valueCount, rowCount, s, null, null, rl, dl, values);
    }

    @Override
    public void writePage(
        BytesInput b,
        int valueCount,
        int rowCount,
        Statistics<?> s,
        SizeStatistics sizes,
        GeospatialStatistics geo,
        Encoding rl,
        Encoding dl,
        Encoding values) {
      statistics.add(s);
      valueCounts.add(valueCount);
      bytes += b.size();
    }

    @Override
    public void writePageV2(
        int rowCount,
        int nullCount,
        int valueCount,
        BytesInput repetitionLevels,
        BytesInput definitionLevels,
        Encoding dataEncoding,
        BytesInput data,
        Statistics<?> s) {
      throw new UnsupportedOperationException("v2 pages");
    }

    @Override
    public long getMemSize() {
      return bytes;
    }

    @Override
    public long allocatedSize() {
      return bytes;
    }

    @Override
    public void writeDictionaryPage(DictionaryPage page) {}

    @Override
    public String memUsageString(String prefix) {
      return prefix + bytes;
    }
  }
}
