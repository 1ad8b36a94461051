package dev.parquetingest.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link MutableRow#setBytesReference}: a value that is a range of someone else's array. */
class MutableRowBytesReferenceTest {
  private static final Schema SCHEMA =
      Schema.builder()
          .optional("n", ColumnType.int64())
          .optional("name", ColumnType.string())
          .optional("raw", ColumnType.binary())
          .build();

  private static final byte[] BUFFER = "id,alpha,beta\n".getBytes(StandardCharsets.US_ASCII);

  @Test
  void theValueIsTheReferencedRangeWithoutACopy() {
    MutableRow row = new MutableRow(SCHEMA);
    row.setBytesReference(1, BUFFER, 3, 5);
    row.setBytesReference(2, BUFFER, 9, 4);

    assertThat(row.isNull(1)).isFalse();
    assertThat(row.bytes(1)).isSameAs(BUFFER);
    assertThat(row.bytesOffset(1)).isEqualTo(3);
    assertThat(row.bytesLength(1)).isEqualTo(5);
    assertThat(row.getString(1)).isEqualTo("alpha");
    assertThat(row.get(1)).isEqualTo("alpha");
    assertThat((byte[]) row.get(2)).isEqualTo("beta".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void copiesTakeTheBytesNotTheReference() {
    byte[] buffer = BUFFER.clone();
    MutableRow row = new MutableRow(SCHEMA);
    row.setBytesReference(1, buffer, 3, 5);
    MutableRow copy = new MutableRow(SCHEMA).copyFrom(row);
    buffer[3] = 'A';

    assertThat(row.getString(1)).isEqualTo("Alpha");
    assertThat(copy.getString(1)).isEqualTo("alpha");
    assertThat(copy.bytes(1)).isNotSameAs(buffer);
  }

  @Test
  void settingTheColumnAgainDropsTheReferenceAndKeepsTheOwnBuffer() {
    MutableRow row = new MutableRow(SCHEMA);
    row.setString(1, "own");
    byte[] own = row.bytes(1);
    row.setBytesReference(1, BUFFER, 3, 5);
    row.setString(1, "again");

    assertThat(row.bytes(1)).isSameAs(own).isNotSameAs(BUFFER);
    assertThat(row.bytesOffset(1)).isZero();
    assertThat(row.getString(1)).isEqualTo("again");
    assertThat(BUFFER).isEqualTo("id,alpha,beta\n".getBytes(StandardCharsets.US_ASCII));

    row.setBytesReference(1, BUFFER, 9, 4);
    byte[] target = row.bytesBuffer(1, 2);
    target[0] = 'o';
    target[1] = 'k';
    row.setBytesLength(1, 2);
    assertThat(row.getString(1)).isEqualTo("ok");
    assertThat(row.bytesOffset(1)).isZero();

    row.setBytesReference(1, BUFFER, 9, 4);
    row.clear();
    assertThat(row.isNull(1)).isTrue();
  }

  @Test
  void onlyTextColumnsTakeAReference() {
    MutableRow row = new MutableRow(SCHEMA);
    assertThatThrownBy(() -> row.setBytesReference(0, BUFFER, 0, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot setBytesReference on column 'n' (index 0)");
  }
}
