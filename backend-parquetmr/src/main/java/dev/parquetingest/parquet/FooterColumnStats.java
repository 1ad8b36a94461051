package dev.parquetingest.parquet;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.Field;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.ColumnStats;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.column.statistics.BinaryStatistics;
import org.apache.parquet.column.statistics.BooleanStatistics;
import org.apache.parquet.column.statistics.DoubleStatistics;
import org.apache.parquet.column.statistics.FloatStatistics;
import org.apache.parquet.column.statistics.IntStatistics;
import org.apache.parquet.column.statistics.LongStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * Turns the column-chunk statistics of a finished file's footer, which parquet-java gathered value
 * by value while writing, into one {@link ColumnStats} per column: counts added up and bounds
 * merged across row groups ({@link Statistics#mergeStatistics}, the column's Parquet order), then
 * converted from the physical value to the row model's value by setting it into a {@link
 * MutableRow} and boxing it, so that dates, timestamps and decimals come out exactly as {@link
 * dev.parquetingest.schema.Row#get(int)} gives them. Where {@link ColumnStats} says a bound is
 * unknown (binary columns, NaN, strings that are not UTF-8), both bounds are null. Stateless.
 */
public final class FooterColumnStats {
  private FooterColumnStats() {}

  /**
   * The statistics of every column of {@code schema}, from the footer's row groups.
   *
   * @param messageType the file's Parquet schema, {@link ParquetSchemas#toMessageType}
   * @throws IllegalStateException if a row group's columns do not match the schema, or lack
   *     statistics
   */
  public static List<ColumnStats> of(
      Schema schema, MessageType messageType, List<BlockMetaData> blocks) {
    List<ColumnStats> stats = new ArrayList<>(schema.size());
    MutableRow boxer = new MutableRow(schema);
    for (int i = 0; i < schema.size(); i++) {
      Field field = schema.field(i);
      Statistics<?> merged = Statistics.createStats(messageType.getType(i));
      long values = 0;
      long nulls = 0;
      long nans = 0;
      for (BlockMetaData block : blocks) {
        ColumnChunkMetaData chunk = block.getColumns().get(i);
        String[] path = chunk.getPath().toArray();
        if (path.length != 1 || !path[0].equals(field.name())) {
          throw new IllegalStateException(
              "Cannot read statistics of column '"
                  + field.name()
                  + "': chunk "
                  + i
                  + " is "
                  + chunk.getPath());
        }
        Statistics<?> chunkStats = chunk.getStatistics();
        if (chunkStats == null || !chunkStats.isNumNullsSet()) {
          throw new IllegalStateException(
              "Cannot read statistics of column '" + field.name() + "': parquet-java kept none");
        }
        values += chunk.getValueCount();
        nulls += chunkStats.getNumNulls();
        if (chunkStats.isNanCountSet()) {
          nans += chunkStats.getNanCount();
        }
        merged.mergeStatistics(chunkStats);
      }
      Object min = null;
      Object max = null;
      if (merged.hasNonNullValue() && nans == 0) {
        min = box(boxer, i, field.type(), merged, false);
        max = box(boxer, i, field.type(), merged, true);
        if (min == null || max == null) {
          min = null;
          max = null;
        }
      }
      stats.add(new ColumnStats(field.name(), nulls, values, min, max));
    }
    return List.copyOf(stats);
  }

  /** The bound as the row model's value, or null if it has none. */
  private static Object box(
      MutableRow row, int i, ColumnType type, Statistics<?> stats, boolean max) {
    switch (type.kind()) {
      case BOOLEAN:
        {
          BooleanStatistics s = (BooleanStatistics) stats;
          row.setBoolean(i, max ? s.getMax() : s.getMin());
          break;
        }
      case INT32:
      case DATE:
        row.setInt(i, intBound(stats, max));
        break;
      case INT64:
      case TIMESTAMP_MILLIS:
      case TIMESTAMP_MICROS:
        row.setLong(i, longBound(stats, max));
        break;
      case FLOAT:
        {
          FloatStatistics s = (FloatStatistics) stats;
          row.setFloat(i, max ? s.getMax() : s.getMin());
          break;
        }
      case DOUBLE:
        {
          DoubleStatistics s = (DoubleStatistics) stats;
          row.setDouble(i, max ? s.getMax() : s.getMin());
          break;
        }
      case STRING:
        {
          byte[] utf8 = binaryBound(stats, max).getBytesUnsafe();
          if (!isUtf8(utf8)) {
            return null;
          }
          row.setBytes(i, utf8, 0, utf8.length);
          break;
        }
      case BINARY:
        return null;
      case DECIMAL:
        if (type.precision() <= 9) {
          row.setUnscaledDecimal(i, intBound(stats, max));
        } else if (type.precision() <= ColumnType.MAX_LONG_DECIMAL_PRECISION) {
          row.setUnscaledDecimal(i, longBound(stats, max));
        } else {
          // FIXED_LEN_BYTE_ARRAY: big-endian two's complement, ordered as a signed integer
          BigInteger unscaled = new BigInteger(binaryBound(stats, max).getBytesUnsafe());
          row.setDecimal(i, new BigDecimal(unscaled, type.scale()));
        }
        break;
      default:
        throw new AssertionError(type);
    }
    return row.get(i);
  }

  private static int intBound(Statistics<?> stats, boolean max) {
    IntStatistics s = (IntStatistics) stats;
    return max ? s.getMax() : s.getMin();
  }

  private static long longBound(Statistics<?> stats, boolean max) {
    LongStatistics s = (LongStatistics) stats;
    return max ? s.getMax() : s.getMin();
  }

  private static Binary binaryBound(Statistics<?> stats, boolean max) {
    BinaryStatistics s = (BinaryStatistics) stats;
    return max ? s.genericGetMax() : s.genericGetMin();
  }

  private static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
