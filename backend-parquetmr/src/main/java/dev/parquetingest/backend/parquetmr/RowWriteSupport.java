package dev.parquetingest.backend.parquetmr;

import dev.parquetingest.parquet.ParquetSchemas;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import java.util.Map;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Writes our {@link Row}s straight into parquet-java's record consumer: no intermediate objects.
 * Only the Hadoop-free {@link #init(ParquetConfiguration)} is used. Not thread-safe.
 */
final class RowWriteSupport extends WriteSupport<Row> {
  private final Schema schema;
  private final MessageType messageType;
  private final String[] names;
  private final ColumnType[] types;
  private final byte[][] fixedBuffers;
  private RecordConsumer consumer;

  RowWriteSupport(Schema schema) {
    this.schema = schema;
    this.messageType = ParquetSchemas.toMessageType(schema);
    int n = schema.size();
    this.names = new String[n];
    this.types = new ColumnType[n];
    this.fixedBuffers = new byte[n][];
    for (int i = 0; i < n; i++) {
      names[i] = schema.field(i).name();
      types[i] = schema.field(i).type();
      if (types[i].precision() > ColumnType.MAX_LONG_DECIMAL_PRECISION) {
        fixedBuffers[i] = new byte[ParquetSchemas.decimalBytes(types[i].precision())];
      }
    }
  }

  /** Not used: files are written through the Hadoop-free configuration. */
  @SuppressWarnings("deprecation") // the abstract method must be implemented
  @Override
  public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
    return init((ParquetConfiguration) null);
  }

  @Override
  public WriteContext init(ParquetConfiguration configuration) {
    return new WriteContext(messageType, Map.of());
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.consumer = recordConsumer;
  }

  @Override
  public void write(Row row) {
    RecordConsumer c = consumer;
    c.startMessage();
    for (int i = 0; i < names.length; i++) {
      if (row.isNull(i)) {
        if (!schema.field(i).nullable()) {
          throw new IllegalArgumentException(
              "Cannot write null into required column '" + names[i] + "'");
        }
        continue;
      }
      c.startField(names[i], i);
      writeValue(c, row, i);
      c.endField(names[i], i);
    }
    c.endMessage();
  }

  private void writeValue(RecordConsumer c, Row row, int i) {
    switch (types[i].kind()) {
      case BOOLEAN:
        c.addBoolean(row.getBoolean(i));
        break;
      case INT32:
      case DATE:
        c.addInteger(row.getInt(i));
        break;
      case INT64:
      case TIMESTAMP_MILLIS:
      case TIMESTAMP_MICROS:
        c.addLong(row.getLong(i));
        break;
      case FLOAT:
        c.addFloat(row.getFloat(i));
        break;
      case DOUBLE:
        c.addDouble(row.getDouble(i));
        break;
      case STRING:
      case BINARY:
        c.addBinary(
            Binary.fromReusedByteArray(row.bytes(i), row.bytesOffset(i), row.bytesLength(i)));
        break;
      case DECIMAL:
        if (types[i].precision() <= 9) {
          c.addInteger((int) row.getLong(i));
        } else if (types[i].precision() <= ColumnType.MAX_LONG_DECIMAL_PRECISION) {
          c.addLong(row.getLong(i));
        } else {
          byte[] buf = fixedBuffers[i];
          ParquetSchemas.unscaledBytes(row.getDecimal(i), buf, buf.length);
          c.addBinary(Binary.fromReusedByteArray(buf));
        }
        break;
      default:
        throw new AssertionError(types[i]);
    }
  }
}
