package dev.parquetingest.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class JsonMessageDecoderTest {
  static final Schema SCHEMA =
      Schema.parse(
          String.join(
              "\n",
              "id: int64 not null",
              "n: int32",
              "ok: boolean",
              "score: double",
              "user: string",
              "day: date",
              "at: timestamp(millis)",
              "local: timestamp(micros,local)",
              "price: decimal(9,2)",
              "raw: binary"));

  private final JsonMessageDecoder decoder = JsonMessageDecoder.of(SCHEMA);
  private final MutableRow row = new MutableRow(SCHEMA);

  @Test
  void decodesEveryTypeByFieldNameAndIgnoresUnknownFields() {
    decoder.decode(
        "{\"extra\":{\"a\":[1,2]},\"id\":9007199254740993,\"n\":-7,\"ok\":true,\"score\":1.5,"
            + "\"user\":\"zoë\",\"day\":\"2026-11-22\",\"at\":\"2026-11-22T00:23:56.789Z\","
            + "\"local\":\"2026-11-22T00:23:56.000123\",\"price\":\"12.30\",\"raw\":\"AAEC\"}",
        row);
    assertThat(row.getLong(0)).isEqualTo(9007199254740993L);
    assertThat(row.getInt(1)).isEqualTo(-7);
    assertThat(row.getBoolean(2)).isTrue();
    assertThat(row.getDouble(3)).isEqualTo(1.5);
    assertThat(row.getString(4)).isEqualTo("zoë");
    assertThat(row.get(5)).isEqualTo(LocalDate.of(2026, 11, 22));
    assertThat(row.get(6)).isEqualTo(Instant.parse("2026-11-22T00:23:56.789Z"));
    assertThat(row.get(7)).isEqualTo(LocalDateTime.parse("2026-11-22T00:23:56.000123"));
    assertThat(row.getDecimal(8)).isEqualTo(new BigDecimal("12.30"));
    assertThat((byte[]) row.get(9)).containsExactly(0, 1, 2);
  }

  @Test
  void missingAndNullFieldsAreNullAndTheRowIsClearedBetweenMessages() {
    decoder.decode("{\"id\":1,\"user\":\"a\",\"n\":3}", row);
    decoder.decode("{\"id\":2,\"user\":null}", row);
    assertThat(row.getLong(0)).isEqualTo(2);
    assertThat(row.isNull(1)).isTrue();
    assertThat(row.isNull(4)).isTrue();
  }

  @Test
  void refusesWhatDoesNotFitNamingTheColumnAndValue() {
    assertThatThrownBy(() -> decoder.decode("{\"id\":1,\"n\":\"ten\"}", row))
        .isInstanceOf(MessageDecodeException.class)
        .hasMessage("Cannot read column 'n' as int32: \"ten\"")
        .extracting(e -> ((MessageDecodeException) e).column())
        .isEqualTo("n");
    assertThatThrownBy(() -> decoder.decode("{\"id\":1,\"n\":3000000000}", row))
        .hasMessage("Cannot read column 'n' as int32: 3000000000");
    assertThatThrownBy(() -> decoder.decode("{\"id\":1,\"day\":\"22/11/2026\"}", row))
        .hasMessageStartingWith("Cannot read column 'day' as date: \"22/11/2026\"");
    assertThatThrownBy(() -> decoder.decode("{\"id\":1,\"price\":1.234}", row))
        .hasMessageStartingWith("Cannot read column 'price' as decimal(9,2): 1.234");
    assertThatThrownBy(() -> decoder.decode("{\"n\":1}", row))
        .hasMessage("Cannot decode message: column 'id' is not null but has no value");
  }

  @Test
  void refusesBodiesThatAreNotOneJsonObject() {
    assertThatThrownBy(() -> decoder.decode("not json", row))
        .isInstanceOf(MessageDecodeException.class)
        .hasMessageStartingWith("Cannot parse message as JSON");
    assertThatThrownBy(() -> decoder.decode("[1]", row))
        .hasMessage("Cannot decode message: it is not a JSON object");
    assertThatThrownBy(() -> decoder.decode("{\"id\":1} {}", row))
        .hasMessage("Cannot decode message: unexpected content after the JSON object");
    assertThatThrownBy(() -> decoder.decode("{\"id\":1", row))
        .hasMessageStartingWith("Cannot parse message as JSON");
  }

  @Test
  void decodesUtf8BytesLikeTheSameText() {
    String body = "{\"id\":3,\"user\":\"zo\u00eb\",\"n\":-2}";
    byte[] framed = ("##" + body + "##").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    int length = framed.length - 4;
    decoder.decode(framed, 2, length, row);
    assertThat(row.getLong(0)).isEqualTo(3);
    assertThat(row.getString(4)).isEqualTo("zo\u00eb");
    assertThat(row.getInt(1)).isEqualTo(-2);
    assertThatThrownBy(() -> decoder.decode(framed, 0, length, row))
        .isInstanceOf(MessageDecodeException.class)
        .hasMessageStartingWith("Cannot parse message as JSON");
  }
}
