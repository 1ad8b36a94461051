package dev.parquetingest.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.Source;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Source} keeps, as the runtime reads it, run by each source's module:
 * after {@link Source#open()}, {@link Source#poll} yields every record once, each with a {@link
 * Position} that describes itself; then the input ends ({@code END}) or, for an endless source,
 * goes idle ({@code IDLE}) within the timeout; the last position can be acknowledged; {@link
 * Source#close()} is idempotent; the counters never go back.
 */
public abstract class SourceContractTest {
  /** Records a test reads. */
  protected static final int RECORDS = 50;

  /**
   * A new source whose records have ids 0..{@code records}-1 in their first column (INT64), in any
   * order, not yet opened. The subclass closes what it made besides the source.
   */
  protected abstract Source newSource(int records);

  /** Whether the source goes idle at the end of its records instead of ending. */
  protected abstract boolean endless();

  @Test
  void everyRecordOnceWithAPositionThenTheEndOrIdle() {
    Source source = newSource(RECORDS);
    Schema schema = source.open();
    assertThat(schema.fields()).isNotEmpty();
    MutableRow row = new MutableRow(schema);
    Set<Long> ids = new HashSet<>();
    long bytes = 0;
    try {
      while (ids.size() < RECORDS) {
        Source.Poll p = source.poll(row, 5, TimeUnit.SECONDS);
        if (p == Source.Poll.IDLE && endless()) {
          continue;
        }
        assertThat(p).as("record %d of %d", ids.size() + 1, RECORDS).isEqualTo(Source.Poll.RECORD);
        assertThat(ids.add(row.getLong(0))).as("id %d once", row.getLong(0)).isTrue();
        Position at = source.position();
        assertThat(at).isNotNull();
        assertThat(at.describe()).isNotBlank();
        assertThat(source.bytesRead()).isGreaterThanOrEqualTo(bytes);
        bytes = source.bytesRead();
      }
      Source.Poll after = source.poll(row, 300, TimeUnit.MILLISECONDS);
      assertThat(after).isEqualTo(endless() ? Source.Poll.IDLE : Source.Poll.END);
      source.acknowledge(source.position());
    } finally {
      source.close();
    }
    source.close();
    assertThat(ids).hasSize(RECORDS).allMatch(id -> id >= 0 && id < RECORDS);
  }
}
