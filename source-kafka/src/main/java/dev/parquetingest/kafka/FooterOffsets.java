package dev.parquetingest.kafka;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.Sink;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.TopicPartition;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.format.Util;

/**
 * Reads back, from a committed data file's footer, the last Kafka offset the file holds: the
 * runtime writes the position of a file's last record into its footer key-value metadata ({@value
 * #LAST_POSITION_KEY}, as {@code <topic>/<partition>@<offset>}). Stateless.
 */
final class FooterOffsets {
  /** The runtime's footer key of a file's last position. */
  static final String LAST_POSITION_KEY = Encoder.LAST_POSITION_KEY;

  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  private FooterOffsets() {}

  /**
   * The last offset of {@code tp} that {@code name} holds.
   *
   * @throws IngestException if the sink cannot read the file back, it is not a Parquet file, or its
   *     footer records no position of {@code tp}
   */
  static long lastOffset(Sink sink, String name, TopicPartition tp) {
    if (!sink.listable() || !sink.exists(name)) {
      throw new IngestException(
          "Cannot read the footer of "
              + name
              + " in "
              + sink.describe()
              + ": "
              + (sink.listable() ? "it does not exist" : "the sink cannot read files back"));
    }
    long size = sink.size(name);
    if (size < 12) {
      throw new IngestException(
          "Cannot read the footer of "
              + name
              + " in "
              + sink.describe()
              + ": only "
              + size
              + " bytes");
    }
    byte[] tail = sink.readTail(name, 8);
    if (!Arrays.equals(Arrays.copyOfRange(tail, 4, 8), MAGIC)) {
      throw new IngestException("Cannot read the footer of " + name + ": not a Parquet file");
    }
    int length = ByteBuffer.wrap(tail, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (length <= 0 || length > size - 12) {
      throw new IngestException(
          "Cannot read the footer of " + name + ": footer length " + length + " of " + size);
    }
    FileMetaData meta;
    try {
      meta =
          Util.readFileMetaData(
              new ByteArrayInputStream(sink.readTail(name, length + 8), 0, length));
    } catch (IOException e) {
      throw new IngestException("Cannot read the footer of " + name + ": " + e, e);
    }
    if (meta.getKey_value_metadata() != null) {
      for (KeyValue kv : meta.getKey_value_metadata()) {
        if (LAST_POSITION_KEY.equals(kv.getKey()) && kv.getValue() != null) {
          return parse(kv.getValue(), tp, name);
        }
      }
    }
    throw new IngestException(
        "Cannot tell which offsets " + name + " holds: its footer has no " + LAST_POSITION_KEY);
  }

  /** The offset of {@code <topic>/<partition>@<offset>}, which must name {@code tp}. */
  static long parse(String position, TopicPartition tp, String name) {
    String expected = tp.topic() + "/" + tp.partition() + "@";
    if (!position.startsWith(expected)) {
      throw new IngestException(
          "Cannot tell which offsets "
              + name
              + " holds: its last position is '"
              + position
              + "', expected "
              + expected
              + "<offset>");
    }
    try {
      return Long.parseLong(position.substring(expected.length()));
    } catch (NumberFormatException e) {
      throw new IngestException(
          "Cannot tell which offsets " + name + " holds: bad last position '" + position + "'", e);
    }
  }
}
