package dev.parquetingest.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.BadRecordPolicy;
import dev.parquetingest.IngestHandle;
import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.ParquetIngestBuilder;
import dev.parquetingest.common.BadRecordException;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.Source;
import dev.parquetingest.spi.Transformer;
import dev.parquetingest.testing.LinesEncoderProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transformer contract: one instance per worker, and a {@link BadRecordException} from a
 * transformer gets the source's name and the record's line filled in by the runtime.
 */
class TransformerContractTest {
  private static final Schema IDS = Schema.builder().required("id", ColumnType.int64()).build();
  private static final Schema IDS_AND_TWICE =
      Schema.builder()
          .required("id", ColumnType.int64())
          .required("twice", ColumnType.int64())
          .build();

  /** Adds {@code twice = 2 * id} into one output row it reuses: natural, and not thread-safe. */
  static final class ReusingTransformer implements Transformer {
    private MutableRow out;

    @Override
    public Schema outputSchema(Schema input) {
      return IDS_AND_TWICE;
    }

    @Override
    public Row apply(Row row) {
      if (out == null) {
        out = new MutableRow(IDS_AND_TWICE);
      }
      long id = row.getLong(0);
      out.setLong(0, id);
      out.setLong(1, 2 * id);
      return out;
    }
  }

  @Test
  void eachWorkerGetsItsOwnTransformerSoAReusedRowStaysIntact(@TempDir Path dir) {
    long n = 200_000;
    AtomicInteger made = new AtomicInteger();
    IngestHandle h =
        ParquetIngest.builder()
            .push(IDS)
            .encoder(new LinesEncoderProvider())
            .transform(
                () -> {
                  made.incrementAndGet();
                  return new ReusingTransformer();
                })
            .outputDirectory(dir)
            .maxRowsPerFile(50_000)
            .workers(2)
            .start();
    MutableRow row = new MutableRow(IDS);
    for (long i = 0; i < n; i++) {
      row.setLong(0, i);
      h.offer(row);
    }
    IngestReport report = h.stop(Duration.ofSeconds(60));

    List<Long> ids = TestSinks.committedIds(dir);
    assertThat(report.rowsWritten()).isEqualTo(n);
    assertThat(ids).hasSize((int) n);
    assertThat(new HashSet<>(ids)).hasSize((int) n);
    assertThat(made.get()).isEqualTo(2);
  }

  @Test
  void oneTransformerInstanceIsRefusedForSeveralWorkers(@TempDir Path dir) {
    ParquetIngestBuilder b =
        ParquetIngest.builder()
            .push(IDS)
            .encoder(new LinesEncoderProvider())
            .transform(new ReusingTransformer())
            .outputDirectory(dir)
            .workers(2);
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("transform(Supplier")
        .hasMessageContaining("2 workers");
  }

  /** Lines "1".."n" of a file called events.txt, the header being line 1. */
  static final class Lines implements Source {
    private final long n;
    private long line = 1;

    Lines(long n) {
      this.n = n;
    }

    @Override
    public String name() {
      return "events.txt";
    }

    @Override
    public Schema open() {
      return IDS;
    }

    @Override
    public boolean next(MutableRow row) {
      if (line > n) {
        return false;
      }
      line++;
      row.setLong(0, line - 1);
      return true;
    }

    @Override
    public Position position() {
      long at = line;
      return new Position() {
        @Override
        public String describe() {
          return "line " + at;
        }

        @Override
        public long line() {
          return at;
        }
      };
    }

    @Override
    public long bytesRead() {
      return 0;
    }

    @Override
    public void close() {}
  }

  /** Refuses id 3 without knowing where it came from. */
  private static Transformer refusingThree() {
    return row -> {
      if (row.getLong(0) == 3) {
        throw new BadRecordException("Cannot use id 3: reserved", null, -1, "id", null);
      }
      return row;
    };
  }

  @Test
  void aTransformersBadRecordGetsTheSourceAndLineUnderFail(@TempDir Path dir) {
    assertThatThrownBy(
            () ->
                ParquetIngest.builder()
                    .source(new Lines(5))
                    .encoder(new LinesEncoderProvider())
                    .transform(refusingThree())
                    .outputDirectory(dir)
                    .run())
        .isInstanceOfSatisfying(
            BadRecordException.class,
            e -> {
              assertThat(e.source()).isEqualTo("events.txt");
              assertThat(e.line()).isEqualTo(4);
              assertThat(e.column()).isEqualTo("id");
              assertThat(e.problem()).isEqualTo("Cannot use id 3: reserved");
            })
        .hasMessage("Cannot use id 3: reserved (events.txt, line 4)");
  }

  @Test
  void aTransformersBadRecordGetsTheSourceAndLineInTheRejectsFile(@TempDir Path dir)
      throws IOException {
    IngestReport report =
        ParquetIngest.builder()
            .source(new Lines(5))
            .encoder(new LinesEncoderProvider())
            .transform(refusingThree())
            .onBadRecord(BadRecordPolicy.REJECT)
            .filePrefix("events")
            .outputDirectory(dir)
            .run();
    assertThat(report.rowsRejected()).isEqualTo(1);
    assertThat(Files.readString(dir.resolve("_events.rejects.jsonl"), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"source\":\"events.txt\",\"line\":4,\"column\":\"id\","
                + "\"reason\":\"Cannot use id 3: reserved\",\"record\":null}\n");
  }
}
