package dev.parquetingest.backend.parquetmr;

import dev.parquetingest.parquet.ParquetSchemas;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.schema.TypeKind;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Writes our {@link Row}s into a parquet-java {@link RecordConsumer}, field by field, with no
 * intermediate objects: what a {@code WriteSupport} does, without the Hadoop types its API names.
 * Not thread-safe.
 */
final class RowRecordWriter {
  private final String[] names;
  private final ColumnType[] types;
  private final boolean[] required;
  private final byte[][] fixedBuffers;
  private final RecordConsumer consumer;

  RowRecordWriter(Schema schema, RecordConsumer consumer) {
    this.consumer = consumer;
    int n = schema.size();
    this.names = new String[n];
    this.types = new ColumnType[n];
    this.required = new boolean[n];
    this.fixedBuffers = new byte[n][];
    for (int i = 0; i < n; i++) {
      names[i] = schema.field(i).name();
      types[i] = schema.field(i).type();
      required[i] = !schema.field(i).nullable();
      if (types[i].kind() == TypeKind.DECIMAL
          && types[i].precision() > ColumnType.MAX_LONG_DECIMAL_PRECISION) {
        fixedBuffers[i] = new byte[ParquetSchemas.decimalBytes(types[i].precision())];
      }
    }
  }

  /**
   * Writes one row as one record.
   *
   * @throws IllegalArgumentException if a required column is null; nothing of the row is written
   */
  void write(Row row) {
    for (int i = 0; i < names.length; i++) {
      if (required[i] && row.isNull(i)) {
        throw new IllegalArgumentException(
            "Cannot write null into required column '" + names[i] + "'");
      }
    }
    RecordConsumer c = consumer;
    c.startMessage();
    for (int i = 0; i < names.length; i++) {
      if (row.isNull(i)) {
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
