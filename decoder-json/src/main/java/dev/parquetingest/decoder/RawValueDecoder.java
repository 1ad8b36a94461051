package dev.parquetingest.decoder;

import dev.parquetingest.schema.Field;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.schema.TypeKind;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Puts a message's body, as it is, into one string or binary column: for messages that are not JSON
 * ({@link #of}), or beside the columns a decoder fills ({@link #around}). A string column takes the
 * body as UTF-8 and refuses (a {@link MessageDecodeException}) a body that is not valid UTF-8; a
 * binary column takes any bytes.
 *
 * <p>Not thread-safe (it keeps a reusable UTF-8 checker and the wrapped decoder may keep state):
 * one per pipeline thread; see {@link MessageDecoder}.
 */
public final class RawValueDecoder implements MessageDecoder {
  private final MessageDecoder inner;
  private final Schema schema;
  private final int column;
  private final boolean utf8;
  private final CharsetDecoder check =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  private RawValueDecoder(MessageDecoder inner, Schema schema, String column) {
    this.inner = inner;
    this.schema = schema;
    this.column = schema.indexOf(column);
    if (this.column < 0) {
      throw new IllegalArgumentException(
          "Cannot put raw values into column '" + column + "': the schema has no such column");
    }
    TypeKind kind = schema.field(this.column).type().kind();
    if (kind != TypeKind.STRING && kind != TypeKind.BINARY) {
      throw new IllegalArgumentException(
          "Cannot put raw values into column '"
              + column
              + "': it is "
              + schema.field(this.column).type()
              + ", expected string or binary");
    }
    this.utf8 = kind == TypeKind.STRING;
    if (inner == null) {
      for (Field f : schema.fields()) {
        if (!f.nullable() && !f.name().equals(column)) {
          throw new IllegalArgumentException(
              "Cannot decode raw values into the schema: column '"
                  + f.name()
                  + "' is not null, but only '"
                  + column
                  + "' gets a value");
        }
      }
    }
  }

  /**
   * Every body goes into {@code column} (string or binary) of {@code schema}; every other column is
   * null, so they must all be nullable.
   *
   * @throws IllegalArgumentException if the column is missing or of another type, or another column
   *     is not null
   */
  public static RawValueDecoder of(Schema schema, String column) {
    return new RawValueDecoder(null, Objects.requireNonNull(schema, "schema"), column);
  }

  /**
   * {@code decoder} fills the row, then the body goes into {@code column} (string or binary) of its
   * schema, replacing whatever the decoder put there. A body the decoder refuses is refused.
   *
   * @throws IllegalArgumentException if the column is missing or of another type
   */
  public static RawValueDecoder around(MessageDecoder decoder, String column) {
    Objects.requireNonNull(decoder, "decoder");
    return new RawValueDecoder(decoder, decoder.schema(), column);
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public void decode(String body, MutableRow row) {
    if (inner == null) {
      row.clear();
    } else {
      inner.decode(body, row);
    }
    if (utf8) {
      row.setString(column, body);
    } else {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      row.setBytes(column, bytes, 0, bytes.length);
    }
  }

  @Override
  public void decode(byte[] body, int offset, int length, MutableRow row) {
    if (utf8) {
      try {
        check.reset().decode(ByteBuffer.wrap(body, offset, length));
      } catch (CharacterCodingException e) {
        throw new MessageDecodeException(
            "Cannot read column '"
                + schema.field(column).name()
                + "' as string: the value is not valid UTF-8 ("
                + e
                + ")",
            schema.field(column).name());
      }
    }
    if (inner == null) {
      row.clear();
    } else {
      inner.decode(body, offset, length, row);
    }
    row.setBytes(column, body, offset, length);
  }
}
