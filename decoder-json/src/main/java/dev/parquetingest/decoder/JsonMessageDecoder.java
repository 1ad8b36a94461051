package dev.parquetingest.decoder;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.Field;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Decodes a message body holding one JSON object into a row, by field name: {@code {"id": 42,
 * "user": "ana", "at": "2026-11-22T00:23:56Z"}}. Fields the schema does not name are ignored; a
 * column without a field (or with {@code null}) is null, which a {@code not null} column refuses.
 * Values, by column type:
 *
 * <ul>
 *   <li>boolean: {@code true}/{@code false}; int32, int64: integral numbers in range;
 *   <li>float, double: any number; decimal: a number or a string, exact at the column's scale;
 *   <li>string: a string; binary: a base64 string;
 *   <li>date: {@code "2026-11-22"} or days since 1970-01-01;
 *   <li>timestamp: an ISO-8601 string ({@code ...Z} for UTC-adjusted columns, without offset for
 *       local ones) or a number in the column's unit since the epoch.
 * </ul>
 *
 * <p>Reads with Jackson's streaming parser, without building a tree. Not thread-safe (one per
 * pipeline thread); see {@link MessageDecoder}.
 */
public final class JsonMessageDecoder implements MessageDecoder {
  private static final JsonFactory JSON = new JsonFactory();

  private final Schema schema;
  private final Map<String, Integer> columns = new HashMap<>();

  private JsonMessageDecoder(Schema schema) {
    this.schema = schema;
    for (int i = 0; i < schema.size(); i++) {
      columns.put(schema.field(i).name(), i);
    }
  }

  /** A decoder of JSON objects into rows of {@code schema}. */
  public static JsonMessageDecoder of(Schema schema) {
    return new JsonMessageDecoder(Objects.requireNonNull(schema, "schema"));
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public void decode(String body, MutableRow row) {
    row.clear();
    try (JsonParser p = JSON.createParser(body)) {
      decode(p, row);
    } catch (IOException e) {
      throw new MessageDecodeException("Cannot read message: " + e, null);
    }
  }

  /** Parses the UTF-8 bytes directly, without making a string of the whole body first. */
  @Override
  public void decode(byte[] body, int offset, int length, MutableRow row) {
    row.clear();
    try (JsonParser p = JSON.createParser(body, offset, length)) {
      decode(p, row);
    } catch (IOException e) {
      throw new MessageDecodeException("Cannot read message: " + e, null);
    }
  }

  private void decode(JsonParser p, MutableRow row) {
    try {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new MessageDecodeException("Cannot decode message: it is not a JSON object", null);
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        Integer column = columns.get(p.currentName());
        JsonToken value = p.nextToken();
        if (column == null) {
          p.skipChildren();
        } else if (value != JsonToken.VALUE_NULL) {
          read(p, value, column, row);
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new MessageDecodeException(
            "Cannot decode message: unexpected content after the JSON object", null);
      }
    } catch (JsonProcessingException e) {
      throw new MessageDecodeException(
          "Cannot parse message as JSON: " + e.getOriginalMessage(), null);
    } catch (IOException e) {
      throw new MessageDecodeException("Cannot read message: " + e, null);
    }
    for (int i = 0; i < schema.size(); i++) {
      Field f = schema.field(i);
      if (!f.nullable() && row.isNull(i)) {
        throw new MessageDecodeException(
            "Cannot decode message: column '" + f.name() + "' is not null but has no value",
            f.name());
      }
    }
  }

  private void read(JsonParser p, JsonToken value, int column, MutableRow row) throws IOException {
    Field field = schema.field(column);
    ColumnType type = field.type();
    try {
      switch (type.kind()) {
        case BOOLEAN:
          if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
            throw mismatch(p, field);
          }
          row.setBoolean(column, value == JsonToken.VALUE_TRUE);
          return;
        case INT32:
          if (value != JsonToken.VALUE_NUMBER_INT
              || p.getNumberType() != JsonParser.NumberType.INT) {
            throw mismatch(p, field);
          }
          row.setInt(column, p.getIntValue());
          return;
        case INT64:
          if (value != JsonToken.VALUE_NUMBER_INT
              || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw mismatch(p, field);
          }
          row.setLong(column, p.getLongValue());
          return;
        case FLOAT:
          requireNumber(p, value, field);
          row.setFloat(column, p.getFloatValue());
          return;
        case DOUBLE:
          requireNumber(p, value, field);
          row.setDouble(column, p.getDoubleValue());
          return;
        case STRING:
          if (value != JsonToken.VALUE_STRING) {
            throw mismatch(p, field);
          }
          row.setString(column, p.getText());
          return;
        case BINARY:
          if (value != JsonToken.VALUE_STRING) {
            throw mismatch(p, field);
          }
          byte[] bytes = p.getBinaryValue();
          row.setBytes(column, bytes, 0, bytes.length);
          return;
        case DATE:
          if (value == JsonToken.VALUE_STRING) {
            row.setInt(column, (int) LocalDate.parse(p.getText()).toEpochDay());
          } else if (value == JsonToken.VALUE_NUMBER_INT
              && p.getNumberType() == JsonParser.NumberType.INT) {
            row.setInt(column, p.getIntValue());
          } else {
            throw mismatch(p, field);
          }
          return;
        case TIMESTAMP_MILLIS:
        case TIMESTAMP_MICROS:
          row.setLong(column, timestamp(p, value, field));
          return;
        case DECIMAL:
          if (value != JsonToken.VALUE_STRING
              && value != JsonToken.VALUE_NUMBER_INT
              && value != JsonToken.VALUE_NUMBER_FLOAT) {
            throw mismatch(p, field);
          }
          row.setDecimal(column, new BigDecimal(p.getText()));
          return;
        default:
          throw new AssertionError(type);
      }
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      throw new MessageDecodeException(
          "Cannot read column '"
              + field.name()
              + "' as "
              + type
              + ": "
              + quoted(p)
              + " ("
              + e.getMessage()
              + ")",
          field.name());
    } catch (JsonProcessingException e) {
      throw new MessageDecodeException(
          "Cannot read column '" + field.name() + "' as " + type + ": " + e.getOriginalMessage(),
          field.name());
    }
  }

  private static long timestamp(JsonParser p, JsonToken value, Field field) throws IOException {
    ColumnType type = field.type();
    boolean micros = type.kind() == dev.parquetingest.schema.TypeKind.TIMESTAMP_MICROS;
    if (value == JsonToken.VALUE_NUMBER_INT
        && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      return p.getLongValue();
    }
    if (value != JsonToken.VALUE_STRING) {
      throw mismatch(p, field);
    }
    Instant instant =
        type.utcAdjusted()
            ? Instant.parse(p.getText())
            : LocalDateTime.parse(p.getText()).toInstant(ZoneOffset.UTC);
    return micros
        ? Math.addExact(
            Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000)
        : instant.toEpochMilli();
  }

  private static void requireNumber(JsonParser p, JsonToken value, Field field) throws IOException {
    if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
      throw mismatch(p, field);
    }
  }

  private static MessageDecodeException mismatch(JsonParser p, Field field) throws IOException {
    return new MessageDecodeException(
        "Cannot read column '" + field.name() + "' as " + field.type() + ": " + quoted(p),
        field.name());
  }

  private static String quoted(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
      return t == JsonToken.START_OBJECT ? "an object" : "an array";
    }
    return t == JsonToken.VALUE_STRING ? "\"" + p.getText() + "\"" : p.getText();
  }
}
