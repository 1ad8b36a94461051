package dev.parquetingest.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.parquetingest.BadRecordPolicy;
import dev.parquetingest.IngestHandle;
import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.common.BadRecordException;
import dev.parquetingest.common.IngestException;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.testing.LinesEncoderProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push API with bad rows and failures: a null in a not-null column follows the bad-record
 * policy (REJECT records it and goes on, FAIL ends the run naming the column), and closing after a
 * failed stop never masks the failure.
 */
class PushBadRowsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private static IngestHandle start(Path dir, BadRecordPolicy policy) {
    return ParquetIngest.builder()
        .push(QueueSource.SCHEMA)
        .encoder(new LinesEncoderProvider())
        .outputDirectory(dir)
        .onBadRecord(policy)
        .start();
  }

  @Test
  void aNullInANotNullColumnIsRejectedAndTheStreamGoesOn(@TempDir Path dir) throws IOException {
    IngestHandle h = start(dir, BadRecordPolicy.REJECT);
    MutableRow row = new MutableRow(QueueSource.SCHEMA);
    for (long i = 0; i < 100; i++) {
      if (i == 40) {
        row.setNull(0);
      } else {
        row.setLong(0, i);
      }
      h.offer(row);
    }
    IngestReport report = h.stop(PATIENCE);

    assertThat(report.succeeded()).isTrue();
    assertThat(report.rowsRejected()).isEqualTo(1);
    assertThat(report.rowsWritten()).isEqualTo(99);
    assertThat(TestSinks.committedIds(dir))
        .containsExactlyElementsOf(LongStream.range(0, 100).filter(i -> i != 40).boxed().toList());
    List<String> rejects = Files.readAllLines(Path.of(report.rejectsLocation()));
    assertThat(rejects).hasSize(1);
    assertThat(rejects.get(0))
        .contains("\"column\":\"id\"")
        .contains("not null")
        .contains("\"record\":\"{\\\"id\\\":null}\"");
  }

  @Test
  void underFailANullInANotNullColumnEndsTheRunNamingTheColumn(@TempDir Path dir) {
    IngestHandle h = start(dir, BadRecordPolicy.FAIL);
    MutableRow row = new MutableRow(QueueSource.SCHEMA);
    row.setLong(0, 1);
    h.offer(row);
    row.setNull(0);
    h.offer(row);

    assertThatThrownBy(() -> h.stop(PATIENCE))
        .isInstanceOf(BadRecordException.class)
        .hasMessageContaining("Cannot write column 'id' (int64, not null)")
        .hasMessageContaining("(push)");
    assertThatThrownBy(() -> h.offer(row)).isInstanceOf(IllegalStateException.class);
    h.close(); // quiet: the failure was thrown by stop
  }

  @Test
  void closeAfterAFailedStopDoesNotMaskTheFailure(@TempDir Path dir) {
    MutableRow row = new MutableRow(QueueSource.SCHEMA);
    Throwable thrown =
        catchThrowable(
            () -> {
              try (IngestHandle h =
                  ParquetIngest.builder()
                      .push(QueueSource.SCHEMA)
                      .encoder(new LinesEncoderProvider())
                      .sink(TestSinks.failingAfter(dir, 0))
                      .start()) {
                row.setLong(0, 7);
                h.offer(row);
                h.stop(PATIENCE);
              }
            });
    assertThat(thrown).isInstanceOf(IngestException.class).hasNoSuppressedExceptions();
    assertThat(thrown.getMessage()).doesNotContain("Self-suppression");
  }

  @Test
  void closeStillThrowsAFailureNobodyHasSeen(@TempDir Path dir) {
    IngestHandle h = start(dir, BadRecordPolicy.FAIL);
    MutableRow row = new MutableRow(QueueSource.SCHEMA);
    h.offer(row); // id is null: the run fails
    assertThatThrownBy(h::close).isInstanceOf(BadRecordException.class);
  }
}
