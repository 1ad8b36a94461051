package dev.parquetingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.Sinks;
import dev.parquetingest.common.IngestException;
import dev.parquetingest.internal.Version;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.StagedOutput;
import dev.parquetingest.testing.DuckDb;
import dev.parquetingest.testing.ForwardingSink;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run report as written beside the output ({@code _<prefix>.report.json}), read back with
 * DuckDB's JSON functions and checked field by field against the run and the Java API: when, which
 * version, which run id (the one in the footers), the effective options, the schema, key order,
 * stage times summed and per worker, peak heap; and, for a two-worker run whose sink fails after N
 * bytes, rows written counting only the committed files' rows and the aborted ones as aborted.
 */
class RunReportIT {
  private static final Schema SCHEMA = Schema.parse("id: int64\ntext: string\nn: int64\n");
  private static final int ROWS = 60_000;

  @TempDir Path dir;

  private Path csv() throws IOException {
    StringBuilder sb = new StringBuilder("id,text,n\n");
    for (int i = 0; i < ROWS; i++) {
      sb.append(i).append(",text number ").append(i * 7919L % 100_003).append(',');
      sb.append(i % 977).append('\n');
    }
    Path csv = dir.resolve("rows.csv");
    Files.writeString(csv, sb);
    return csv;
  }

  private static CsvSource source(Path csv) throws IOException {
    return CsvSource.builder(csv).schema(SCHEMA).minPartBytes(Files.size(csv) / 4).build();
  }

  /** A JSON value of the report at {@code path}, as text (json_extract_string). */
  private static String field(Path report, String path) {
    Object v =
        DuckDb.scalar(
            "SELECT json_extract_string(content, '"
                + path
                + "') FROM read_text("
                + DuckDb.literal(report)
                + ")");
    return v == null ? null : v.toString();
  }

  private static List<String> keys(Path report, String path) {
    Object v =
        DuckDb.scalar(
            "SELECT array_to_string(json_keys(content, '"
                + path
                + "'), '|') FROM read_text("
                + DuckDb.literal(report)
                + ")");
    return List.of(v.toString().split("\\|"));
  }

  private static List<Path> dataFiles(Path out) throws IOException {
    try (Stream<Path> s = Files.list(out)) {
      return s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
    }
  }

  @Test
  void theReportStatesWhenWhatWithWhichOptionsAndSchemaInKeyOrder() throws IOException {
    Path csv = csv();
    Path out = dir.resolve("out");
    Instant before = Instant.now();
    IngestReport r =
        ParquetIngest.builder()
            .source(source(csv))
            .outputDirectory(out)
            .maxRowsPerFile(10_000)
            .workers(2)
            .filePrefix("rows")
            .run();
    Instant after = Instant.now();
    Path report = out.resolve("_rows.report.json");

    assertThat(field(report, "$.status")).isEqualTo("succeeded");
    assertThat(field(report, "$.version")).isEqualTo(r.version()).isEqualTo(Version.VERSION);
    assertThat(r.version()).matches("\\d+\\.\\d+\\.\\d+.*");
    // the run id is the one every data file's footer carries
    String runId = field(report, "$.runId");
    assertThat(runId).isEqualTo(r.runId()).matches("\\d{8}T\\d{9}Z-[0-9a-f]{4}");
    List<Path> files = dataFiles(out);
    assertThat(files).hasSizeBetween(6, 8);
    for (Path f : files) {
      assertThat(DuckDb.kvMetadata(f)).containsEntry("parquet-ingest.run-id", runId);
    }
    // ISO-8601 UTC, within the run
    Instant start = Instant.parse(field(report, "$.startTime"));
    Instant end = Instant.parse(field(report, "$.endTime"));
    assertThat(field(report, "$.startTime")).endsWith("Z");
    assertThat(start).isEqualTo(r.startTime()).isBetween(before.minusMillis(1), end);
    assertThat(end).isEqualTo(r.endTime()).isBefore(after.plusMillis(1));

    // the effective options: defaults resolved, in key order
    assertThat(field(report, "$.options.targetFileSize")).isEqualTo("128MB");
    assertThat(field(report, "$.options.maxRowsPerFile")).isEqualTo("10000");
    assertThat(field(report, "$.options.maxFileAge")).isEqualTo("unlimited");
    assertThat(field(report, "$.options.workers")).isEqualTo("2");
    assertThat(field(report, "$.options.encoder")).isEqualTo("parquet-mr");
    assertThat(field(report, "$.options.onBadRecord")).isEqualTo("FAIL");
    assertThat(field(report, "$.options.compressionLevel")).isEqualTo("3");
    assertThat(field(report, "$.options.rowGroupSize")).isEqualTo("128MB");
    assertThat(field(report, "$.options.memoryBudget")).isEqualTo(r.options().get("memoryBudget"));
    List<String> optionKeys = keys(report, "$.options");
    assertThat(optionKeys).isSorted().containsExactlyElementsOf(r.options().keySet());

    // the schema of the written rows
    assertThat(r.schema()).isEqualTo(SCHEMA);
    assertThat(field(report, "$.schema[0].name")).isEqualTo("id");
    assertThat(field(report, "$.schema[0].type")).isEqualTo("int64");
    assertThat(field(report, "$.schema[1].name")).isEqualTo("text");
    assertThat(field(report, "$.schema[1].type")).isEqualTo("string");
    assertThat(field(report, "$.schema[2].nullable")).isEqualTo("true");

    // stage times: summed over workers, labelled so, and per worker
    assertThat(r.perWorker()).hasSize(2);
    long rowsPerWorker = 0;
    long readPerWorker = 0;
    for (int w = 0; w < 2; w++) {
      String at = "$.stageMillisPerWorker[" + w + "]";
      assertThat(field(report, at + ".worker")).isEqualTo(String.valueOf(w));
      long rows = Long.parseLong(field(report, at + ".rowsWritten"));
      assertThat(rows).isPositive().isEqualTo(r.perWorker().get(w).rowsWritten());
      rowsPerWorker += rows;
      readPerWorker += Long.parseLong(field(report, at + ".read"));
    }
    assertThat(rowsPerWorker).isEqualTo(ROWS).isEqualTo(r.rowsWritten());
    long readSum = Long.parseLong(field(report, "$.stageMillisSummedOverWorkers.read"));
    assertThat(readSum)
        .isEqualTo(r.readTime().toMillis())
        .isBetween(readPerWorker, readPerWorker + 2);
    assertThat(field(report, "$.readMillis")).isNull();

    // peak heap: used heap at one moment, never above the maximum heap
    long peakHeap = Long.parseLong(field(report, "$.peakHeapBytes"));
    assertThat(peakHeap).isEqualTo(r.peakHeapBytes()).isPositive();
    assertThat(peakHeap).isLessThanOrEqualTo(Runtime.getRuntime().maxMemory());
  }

  @Test
  void aFailedTwoWorkerRunCountsOnlyCommittedRowsAsWritten() throws IOException {
    Path csv = csv();
    Path whole = dir.resolve("whole");
    long bytes =
        ParquetIngest.builder()
            .source(source(csv))
            .outputDirectory(whole)
            .maxRowsPerFile(5_000)
            .workers(2)
            .run()
            .bytesOut();
    Path out = dir.resolve("out");
    Files.createDirectories(out);
    Sink failing = failingAfter(Sinks.localDirectory(out), bytes / 2);
    assertThatThrownBy(
            () ->
                ParquetIngest.builder()
                    .source(source(csv))
                    .sink(failing)
                    .maxRowsPerFile(5_000)
                    .workers(2)
                    .filePrefix("rows")
                    .run())
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("No space left on device");

    Path report = out.resolve("_rows.report.json");
    assertThat(field(report, "$.status")).isEqualTo("failed");
    List<Path> files = dataFiles(out);
    assertThat(files).isNotEmpty();
    long committed =
        (Long) DuckDb.scalar("SELECT count(*) FROM read_parquet(" + DuckDb.literal(files) + ")");
    long written = Long.parseLong(field(report, "$.rowsWritten"));
    long aborted = Long.parseLong(field(report, "$.rowsAborted"));
    long read = Long.parseLong(field(report, "$.rowsRead"));
    assertThat(written).isEqualTo(committed);
    assertThat(aborted).isPositive();
    // every row read went to a file, committed or aborted, but the one each worker was writing
    // when the sink failed
    assertThat(read - written - aborted).isBetween(0L, 2L);
    long perWorker = 0;
    for (int w = 0; w < 2; w++) {
      perWorker += Long.parseLong(field(report, "$.stageMillisPerWorker[" + w + "].rowsWritten"));
    }
    assertThat(perWorker).isEqualTo(committed);
    // the manifest lists exactly the committed files
    Path manifest = out.resolve("_rows.manifest.jsonl");
    assertThat(
            (Long)
                DuckDb.scalar(
                    "SELECT sum(rows)::BIGINT FROM read_json("
                        + DuckDb.literal(manifest)
                        + ", format='newline_delimited')"))
        .isEqualTo(committed);
  }

  /** Data files fail to be written once {@code limit} bytes have gone to them in all. */
  private static Sink failingAfter(Sink delegate, long limit) {
    AtomicLong total = new AtomicLong();
    return new Sink() {
      @Override
      public String describe() {
        return delegate.describe();
      }

      @Override
      public boolean exists(String name) {
        return delegate.exists(name);
      }

      @Override
      public StagedOutput create(String name) {
        StagedOutput out = delegate.create(name);
        if (!name.endsWith(".parquet")) {
          return out;
        }
        OutputStream limited =
            new FilterOutputStream(out.stream()) {
              @Override
              public void write(int b) throws IOException {
                count(1);
                super.write(b);
              }

              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                count(len);
                out.write(b, off, len);
              }

              private void count(int n) throws IOException {
                if (total.addAndGet(n) > limit) {
                  throw new IOException("No space left on device");
                }
              }
            };
        return new ForwardingSink.ForwardingStagedOutput(out) {
          @Override
          public OutputStream stream() {
            return limited;
          }
        };
      }
    };
  }
}
