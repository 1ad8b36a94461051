package dev.parquetingest.kafka;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.spi.CommittedFooter;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.Sink;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads back, from a committed data file's footer ({@link CommittedFooter}), the last Kafka offset
 * the file holds: the runtime writes the position of a file's last record into its footer key-value
 * metadata ({@value #LAST_POSITION_KEY}, as {@code <topic>/<partition>@<offset>}). Stateless.
 */
final class FooterOffsets {
  /** The runtime's footer key of a file's last position. */
  static final String LAST_POSITION_KEY = Encoder.LAST_POSITION_KEY;

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
    String last = CommittedFooter.read(sink, name).keyValues().get(LAST_POSITION_KEY);
    if (last != null) {
      return parse(last, tp, name);
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
