package dev.parquetingest.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

/** Typed setters, and the error when a setter does not fit its column. */
class MutableRowSettersTest {
  private static final Schema SCHEMA =
      Schema.builder()
          .required("n", ColumnType.int64())
          .optional("day", ColumnType.date())
          .optional("at_ms", ColumnType.timestampMillis(true))
          .optional("at_us", ColumnType.timestampMicros(true))
          .optional("local_us", ColumnType.timestampMicros(false))
          .optional("price", ColumnType.decimal(6, 2))
          .optional("name", ColumnType.string())
          .build();

  private static final Instant AT = Instant.parse("2026-12-01T11:29:36.123456789Z");

  @Test
  void aSetterThatDoesNotFitNamesTheColumnAndItsType() {
    MutableRow row = new MutableRow(SCHEMA);
    assertThatThrownBy(() -> row.setString(0, "five"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot setString on column 'n' (index 0): its type is int64; use setLong");
    assertThatThrownBy(() -> row.setInt(2, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'at_ms'")
        .hasMessageContaining("timestamp(millis)");
    assertThatThrownBy(() -> row.setLong(6, 5)).hasMessageContaining("'name'");
    assertThatThrownBy(() -> row.setDate(0, LocalDate.EPOCH)).hasMessageContaining("'n'");
    assertThatThrownBy(() -> row.setTimestamp(1, AT)).hasMessageContaining("'day' (index 1)");
    assertThatThrownBy(() -> row.setDecimal(6, BigDecimal.ONE)).hasMessageContaining("string");
    assertThatThrownBy(() -> row.setDouble(5, 1.5)).hasMessageContaining("decimal(6,2)");
  }

  @Test
  void datesAndTimestampsAreStoredInTheColumnsUnit() {
    MutableRow row = new MutableRow(SCHEMA);
    row.setDate(1, LocalDate.of(2026, 12, 1));
    row.setTimestamp(2, AT);
    row.setTimestamp(3, AT);
    row.setTimestamp(4, LocalDateTime.of(2026, 12, 1, 11, 29, 36, 123_456_789));

    assertThat(row.getInt(1)).isEqualTo(LocalDate.of(2026, 12, 1).toEpochDay());
    assertThat(row.getLong(2)).isEqualTo(1_796_124_576_123L);
    assertThat(row.getLong(3)).isEqualTo(1_796_124_576_123_456L);
    assertThat(row.getLong(4)).isEqualTo(1_796_124_576_123_456L);
    assertThat(row.get(1)).isEqualTo(LocalDate.of(2026, 12, 1));
    assertThat(row.get(2)).isEqualTo(Instant.parse("2026-12-01T11:29:36.123Z"));
    assertThat(row.get(3)).isEqualTo(Instant.parse("2026-12-01T11:29:36.123456Z"));
    assertThat(row.get(4)).isEqualTo(LocalDateTime.parse("2026-12-01T11:29:36.123456"));
    // before the epoch, truncated toward the past like Instant.toEpochMilli
    row.setTimestamp(3, Instant.parse("1969-12-31T23:59:59.999999500Z"));
    assertThat(row.getLong(3)).isEqualTo(-1L);
    row.setTimestamp(2, (Instant) null);
    assertThat(row.isNull(2)).isTrue();
    assertThatThrownBy(() -> row.setTimestamp(3, Instant.MAX))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'at_us'");
  }

  @Test
  void decimalsAreRescaledWithoutRoundingAndChecked() {
    MutableRow row = new MutableRow(SCHEMA);
    row.setDecimal(5, new BigDecimal("1.5"));
    assertThat(row.getDecimal(5)).isEqualTo(new BigDecimal("1.50"));
    assertThat(row.getLong(5)).isEqualTo(150);
    assertThatThrownBy(() -> row.setDecimal(5, new BigDecimal("1.234")))
        .isInstanceOf(ArithmeticException.class)
        .hasMessage(
            "Cannot set column 'price' (decimal(6,2)) to 1.234: it has more than 2 fraction"
                + " digits and would need rounding");
    assertThatThrownBy(() -> row.setDecimal(5, new BigDecimal("12345.6")))
        .isInstanceOf(ArithmeticException.class)
        .hasMessageContaining("more than 6 digits");
  }
}
