package dev.parquetingest.parquet;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.Field;
import dev.parquetingest.schema.Schema;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * Maps our {@link Schema} to a Parquet {@link MessageType}, the one mapping every backend uses so
 * that the same rows give the same file. Stateless.
 *
 * <p>Decimals: precision up to 9 as INT32, up to 18 as INT64, above as FIXED_LEN_BYTE_ARRAY of the
 * fewest bytes that hold the precision (as the Parquet spec recommends).
 */
public final class ParquetSchemas {
  /** The message name in the footer's schema. */
  public static final String MESSAGE_NAME = "row";

  private ParquetSchemas() {}

  public static MessageType toMessageType(Schema schema) {
    List<Type> types = new ArrayList<>(schema.size());
    for (Field f : schema.fields()) {
      types.add(toType(f));
    }
    return new MessageType(MESSAGE_NAME, types);
  }

  private static Type toType(Field f) {
    Repetition rep = f.nullable() ? Repetition.OPTIONAL : Repetition.REQUIRED;
    ColumnType t = f.type();
    switch (t.kind()) {
      case BOOLEAN:
        return Types.primitive(PrimitiveTypeName.BOOLEAN, rep).named(f.name());
      case INT32:
        return Types.primitive(PrimitiveTypeName.INT32, rep).named(f.name());
      case INT64:
        return Types.primitive(PrimitiveTypeName.INT64, rep).named(f.name());
      case FLOAT:
        return Types.primitive(PrimitiveTypeName.FLOAT, rep).named(f.name());
      case DOUBLE:
        return Types.primitive(PrimitiveTypeName.DOUBLE, rep).named(f.name());
      case STRING:
        return Types.primitive(PrimitiveTypeName.BINARY, rep)
            .as(LogicalTypeAnnotation.stringType())
            .named(f.name());
      case BINARY:
        return Types.primitive(PrimitiveTypeName.BINARY, rep).named(f.name());
      case DATE:
        return Types.primitive(PrimitiveTypeName.INT32, rep)
            .as(LogicalTypeAnnotation.dateType())
            .named(f.name());
      case TIMESTAMP_MILLIS:
        return Types.primitive(PrimitiveTypeName.INT64, rep)
            .as(LogicalTypeAnnotation.timestampType(t.utcAdjusted(), TimeUnit.MILLIS))
            .named(f.name());
      case TIMESTAMP_MICROS:
        return Types.primitive(PrimitiveTypeName.INT64, rep)
            .as(LogicalTypeAnnotation.timestampType(t.utcAdjusted(), TimeUnit.MICROS))
            .named(f.name());
      case DECIMAL:
        {
          LogicalTypeAnnotation decimal =
              LogicalTypeAnnotation.decimalType(t.scale(), t.precision());
          if (t.precision() <= 9) {
            return Types.primitive(PrimitiveTypeName.INT32, rep).as(decimal).named(f.name());
          }
          if (t.precision() <= ColumnType.MAX_LONG_DECIMAL_PRECISION) {
            return Types.primitive(PrimitiveTypeName.INT64, rep).as(decimal).named(f.name());
          }
          return Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, rep)
              .length(decimalBytes(t.precision()))
              .as(decimal)
              .named(f.name());
        }
      default:
        throw new AssertionError(t);
    }
  }

  /**
   * The fewest bytes whose two's-complement range holds every value of {@code precision} digits.
   */
  public static int decimalBytes(int precision) {
    int bytes = 1;
    while (Math.pow(2, 8 * bytes - 1) < Math.pow(10, precision)) {
      bytes++;
    }
    return bytes;
  }

  /**
   * Writes the unscaled value of a decimal as big-endian two's complement of exactly {@code length}
   * bytes into {@code target}, sign-extended.
   */
  public static void unscaledBytes(java.math.BigDecimal value, byte[] target, int length) {
    byte[] raw = value.unscaledValue().toByteArray();
    byte pad = (byte) (value.signum() < 0 ? 0xFF : 0x00);
    int start = length - raw.length;
    for (int i = 0; i < start; i++) {
      target[i] = pad;
    }
    System.arraycopy(raw, 0, target, start, raw.length);
  }
}
