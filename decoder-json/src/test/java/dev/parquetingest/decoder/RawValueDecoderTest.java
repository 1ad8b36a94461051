package dev.parquetingest.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RawValueDecoderTest {
  @Test
  void putsTheBodyIntoAStringColumnAndLeavesTheOthersNull() {
    Schema schema = Schema.parse("id: int64\nvalue: string");
    RawValueDecoder d = RawValueDecoder.of(schema, "value");
    MutableRow row = new MutableRow(schema);
    row.setLong(0, 5);
    byte[] body = "x{not json".getBytes(StandardCharsets.UTF_8);
    d.decode(body, 1, body.length - 1, row);
    assertThat(row.isNull(0)).isTrue();
    assertThat(row.getString(1)).isEqualTo("{not json");
  }

  @Test
  void aStringColumnRefusesBytesThatAreNotUtf8ABinaryColumnTakesThem() {
    byte[] bad = {(byte) 0xC3, (byte) 0x28};
    Schema strings = Schema.parse("value: string");
    assertThatThrownBy(() -> RawValueDecoder.of(strings, "value").decode(bad, 0, 2, row(strings)))
        .isInstanceOf(MessageDecodeException.class)
        .hasMessageContaining("column 'value' as string: the value is not valid UTF-8");
    Schema binary = Schema.parse("value: binary");
    MutableRow row = row(binary);
    RawValueDecoder.of(binary, "value").decode(bad, 0, 2, row);
    assertThat(row.bytesLength(0)).isEqualTo(2);
    assertThat(row.bytes(0)[0]).isEqualTo((byte) 0xC3);
  }

  @Test
  void aroundJsonKeepsTheDecodedColumnsAndAddsTheRawValue() {
    Schema schema = Schema.parse("id: int64 not null\nraw: string");
    RawValueDecoder d = RawValueDecoder.around(JsonMessageDecoder.of(schema), "raw");
    MutableRow row = row(schema);
    byte[] body = "{\"id\":7,\"raw\":\"ignored\"}".getBytes(StandardCharsets.UTF_8);
    d.decode(body, 0, body.length, row);
    assertThat(row.getLong(0)).isEqualTo(7);
    assertThat(row.getString(1)).isEqualTo("{\"id\":7,\"raw\":\"ignored\"}");
    assertThatThrownBy(() -> d.decode("{\"other\":1}", row))
        .isInstanceOf(MessageDecodeException.class)
        .hasMessageContaining("'id' is not null");
  }

  @Test
  void refusesAMissingOrNonTextColumnAndRequiredColumnsItCannotFill() {
    assertThatThrownBy(() -> RawValueDecoder.of(Schema.parse("a: string"), "b"))
        .hasMessageContaining("no such column");
    assertThatThrownBy(() -> RawValueDecoder.of(Schema.parse("a: int32"), "a"))
        .hasMessageContaining("expected string or binary");
    assertThatThrownBy(() -> RawValueDecoder.of(Schema.parse("a: string\nb: int32 not null"), "a"))
        .hasMessageContaining("column 'b' is not null");
  }

  private static MutableRow row(Schema schema) {
    return new MutableRow(schema);
  }
}
