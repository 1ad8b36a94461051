package dev.parquetingest.sink.s3;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.Source;
import java.util.SplittableRandom;

/**
 * Rows {@code id = 0 .. rows-1}, each with {@code payloadBytes} of pseudo-random bytes derived from
 * the id (so they barely compress and files grow predictably). Not thread-safe.
 */
final class IdSource implements Source {
  static final Schema SCHEMA =
      Schema.builder()
          .required("id", ColumnType.int64())
          .required("payload", ColumnType.binary())
          .build();

  private final long rows;
  private final int payloadBytes;
  private final byte[] payload;
  private long next;
  private long acknowledged = -1;

  IdSource(long rows, int payloadBytes) {
    this.rows = rows;
    this.payloadBytes = payloadBytes;
    this.payload = new byte[payloadBytes];
  }

  @Override
  public String name() {
    return "ids.gen";
  }

  @Override
  public Schema open() {
    return SCHEMA;
  }

  @Override
  public boolean next(MutableRow row) {
    if (next >= rows) {
      return false;
    }
    long id = next++;
    SplittableRandom random = new SplittableRandom(id);
    for (int i = 0; i < payloadBytes; i += 8) {
      long v = random.nextLong();
      for (int j = 0; j < 8 && i + j < payloadBytes; j++) {
        payload[i + j] = (byte) (v >>> (8 * j));
      }
    }
    row.setLong(0, id);
    row.setBytes(1, payload, 0, payloadBytes);
    return true;
  }

  @Override
  public Position position() {
    long line = next;
    return () -> "row " + line;
  }

  @Override
  public void acknowledge(Position position) {
    acknowledged = Long.parseLong(position.describe().substring(4));
  }

  /** The number of rows acknowledged as delivered, or -1. */
  long acknowledged() {
    return acknowledged;
  }

  @Override
  public long bytesRead() {
    return next * (8L + payloadBytes);
  }

  @Override
  public void close() {}
}
