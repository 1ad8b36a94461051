package dev.parquetingest.runtime;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Source;
import dev.parquetingest.testing.SourceContractTest;

/** A push pipeline's reader keeps the source contract: rows offered, then offers closed. */
class PushSourceContractTest extends SourceContractTest {
  private static final Schema IDS = Schema.builder().required("id", ColumnType.int64()).build();

  @Override
  protected Source newSource(int records) {
    PushSource push = new PushSource(IDS, records);
    MutableRow row = new MutableRow(IDS);
    try {
      for (long i = 0; i < records; i++) {
        row.setLong(0, i);
        if (!push.offer(row, 1_000_000_000L)) {
          throw new AssertionError("offer timed out");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    push.closeForOffers();
    return push.newReader();
  }

  @Override
  protected boolean endless() {
    return false;
  }
}
