package dev.parquetingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.Sinks;
import dev.parquetingest.backend.parquetmr.ParquetMrEncoderProvider;
import dev.parquetingest.common.IngestException;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.spi.Sink;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FooterOffsets} on files parquet-java wrote, read through the shared footer reader ({@code
 * spi.CommittedFooter}): the last offset of the partition the footer names, refused with the file's
 * name otherwise.
 */
class FooterOffsetsTest {
  private static final Schema IDS = Schema.builder().required("id", ColumnType.int64()).build();
  private static final TopicPartition TP = new TopicPartition("orders", 2);

  @TempDir Path dir;

  private Sink fileWithLastPosition(String name, String lastPosition) throws Exception {
    try (OutputStream out = Files.newOutputStream(dir.resolve(name))) {
      Encoder e = new ParquetMrEncoderProvider().open(IDS, out, EncoderOptions.builder().build());
      MutableRow row = new MutableRow(IDS);
      row.setLong(0, 7);
      e.write(row);
      e.finish(lastPosition == null ? Map.of() : Map.of(Encoder.LAST_POSITION_KEY, lastPosition));
      e.close();
    }
    return Sinks.localDirectory(dir);
  }

  @Test
  void theLastOffsetOfThePartitionTheFooterNames() throws Exception {
    Sink sink = fileWithLastPosition("orders+2+30.parquet", "orders/2@41");

    assertThat(FooterOffsets.lastOffset(sink, "orders+2+30.parquet", TP)).isEqualTo(41L);
  }

  @Test
  void anotherPartitionOrNoPositionIsRefusedNamingTheFile() throws Exception {
    Sink sink = fileWithLastPosition("other.parquet", "orders/3@41");
    fileWithLastPosition("none.parquet", null);

    assertThatThrownBy(() -> FooterOffsets.lastOffset(sink, "other.parquet", TP))
        .isInstanceOf(IngestException.class)
        .hasMessage(
            "Cannot tell which offsets other.parquet holds: its last position is 'orders/3@41',"
                + " expected orders/2@<offset>");
    assertThatThrownBy(() -> FooterOffsets.lastOffset(sink, "none.parquet", TP))
        .isInstanceOf(IngestException.class)
        .hasMessage(
            "Cannot tell which offsets none.parquet holds: its footer has no "
                + Encoder.LAST_POSITION_KEY);
  }

  @Test
  void aMissingFileOrOneThatIsNotParquetIsRefusedNamingIt() throws Exception {
    Files.writeString(dir.resolve("text.parquet"), "not parquet at all, only text\n");
    Sink sink = Sinks.localDirectory(dir);

    assertThatThrownBy(() -> FooterOffsets.lastOffset(sink, "gone.parquet", TP))
        .isInstanceOf(IngestException.class)
        .hasMessageStartingWith("Cannot read the footer of gone.parquet in ")
        .hasMessageEndingWith(": it does not exist");
    assertThatThrownBy(() -> FooterOffsets.lastOffset(sink, "text.parquet", TP))
        .isInstanceOf(IngestException.class)
        .hasMessageStartingWith("Cannot read the footer of text.parquet in ")
        .hasMessageEndingWith(": not a Parquet file");
  }
}
