package dev.parquetingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.common.IngestException;
import dev.parquetingest.datagen.Dataset;
import dev.parquetingest.sink.s3.S3Server;
import dev.parquetingest.sink.s3.S3ServerExtension;
import dev.parquetingest.sink.s3.S3Sink;
import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.StagedOutput;
import dev.parquetingest.testing.ForwardingSink;
import dev.parquetingest.testing.SameRows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The batch rerun contract of docs/delivery.md into an S3 prefix, against the real S3-compatible
 * server: a rerun refuses before reading whatever the earlier worker count; {@code overwrite}
 * commits every new file before it removes an old one; {@code resume} reads only what the kept
 * objects' footers do not cover, aborts the uploads a killed run left, and DuckDB finds every
 * record exactly once. In source-csv's package for its small split size; here, because the S3 test
 * server lives in sink-s3's test-jar.
 */
@ExtendWith(S3ServerExtension.class)
class S3RerunTest {
  private static final int ROWS = 6_000;
  private static final String PREFIX = "lake/logs";

  @TempDir Path dir;
  private final S3Server server;
  private final String bucket;
  private Path csv;
  private Path reference;

  S3RerunTest(S3Server server) {
    this.server = server;
    this.bucket = server.newBucket();
  }

  @BeforeEach
  void input() {
    csv = dir.resolve("logs.csv");
    Dataset.LOGS.writeCsv(csv, ROWS, 7);
    reference = dir.resolve("ref");
    ParquetIngest.builder().source(source(csv)).outputDirectory(reference).run();
  }

  private static CsvSource source(Path csv) {
    return CsvSource.builder(csv).schema(Dataset.LOGS.schema()).minPartBytes(1024).build();
  }

  private IngestReport run(Sink sink, CsvSource source, int workers, boolean ow, boolean resume) {
    return ParquetIngest.builder()
        .source(source)
        .sink(sink)
        .workers(workers)
        .maxRowsPerFile(700)
        .overwrite(ow)
        .resume(resume)
        .run();
  }

  private IngestReport run(int workers, boolean overwrite, boolean resume) {
    try (S3Sink sink = server.sink(bucket, PREFIX).build()) {
      return run(sink, source(csv), workers, overwrite, resume);
    }
  }

  /** Key (below the prefix) to ETag of every object under the prefix. */
  private Map<String, String> objects() {
    Map<String, String> objects = new TreeMap<>();
    for (S3Object o :
        server
            .admin()
            .listObjectsV2Paginator(r -> r.bucket(bucket).prefix(PREFIX + "/"))
            .contents()) {
      objects.put(o.key().substring(PREFIX.length() + 1), o.eTag());
    }
    return objects;
  }

  private List<String> dataNames() {
    List<String> names = new ArrayList<>();
    for (String k : objects().keySet()) {
      if (k.endsWith(".parquet")) {
        names.add(k);
      }
    }
    return names;
  }

  private void delete(String name) {
    server.admin().deleteObject(r -> r.bucket(bucket).key(PREFIX + "/" + name));
  }

  /** Every reference row exactly once in the prefix's data files, and nothing else. */
  private void assertExactlyOnce() throws IOException {
    Path down = Files.createTempDirectory(dir, "down");
    List<Path> files = new ArrayList<>();
    for (String name : dataNames()) {
      Path f = down.resolve(name.replace('/', '_'));
      Files.write(f, server.get(bucket, PREFIX + "/" + name));
      files.add(f);
    }
    SameRows.assertSameRows(files, reference.resolve("*.parquet"), ROWS);
    String manifest =
        new String(server.get(bucket, PREFIX + "/_logs.manifest.jsonl"), StandardCharsets.UTF_8);
    assertThat(manifest.lines().count()).as(manifest).isEqualTo(files.size());
  }

  @Test
  void aRerunWithAnotherWorkerCountRefusesBeforeReadingAndTouchesNothing() throws IOException {
    run(3, false, false);
    Map<String, String> before = objects();
    assertThat(before.keySet()).anyMatch(n -> n.matches("logs-002-\\d{5}\\.parquet"));

    // the input is gone once the source is built: a run that read anything would fail on that
    Path moved = dir.resolve("moved").resolve("logs.csv");
    Files.createDirectories(moved.getParent());
    Files.copy(csv, moved);
    CsvSource unreadable = source(moved);
    Files.delete(moved);
    try (S3Sink sink = server.sink(bucket, PREFIX).build()) {
      assertThatThrownBy(() -> run(sink, unreadable, 1, false, false))
          .isInstanceOf(IngestException.class)
          .hasMessageContaining("s3://" + bucket + "/" + PREFIX)
          .hasMessageContaining("data files of prefix 'logs'")
          .hasMessageContaining("--overwrite")
          .hasMessageContaining("--resume");
    }
    assertThat(objects()).isEqualTo(before);
    assertThat(server.uploads(bucket)).isEmpty();
    assertExactlyOnce();
  }

  @Test
  void overwriteCommitsEveryNewFileBeforeItRemovesAnOldOne() throws IOException {
    run(3, false, false);
    List<String> old = dataNames();
    assertThat(old).allMatch(n -> n.matches("logs-\\d{3}-\\d{5}\\.parquet"));

    List<String> events = new CopyOnWriteArrayList<>();
    try (S3Sink s3 = server.sink(bucket, PREFIX).build()) {
      IngestReport report = run(new Recording(s3, events), source(csv), 1, true, false);
      assertThat(report.rowsWritten()).isEqualTo(ROWS);
    }
    assertThat(dataNames()).allMatch(n -> n.matches("logs-\\d{5}\\.parquet"));
    assertThat(objects()).doesNotContainKey("_logs.in-progress.json");
    assertExactlyOnce();

    int lastCommit = -1;
    int firstDelete = Integer.MAX_VALUE;
    for (int i = 0; i < events.size(); i++) {
      String e = events.get(i);
      if (e.startsWith("commit ") && e.endsWith(".parquet")) {
        lastCommit = i;
      }
      if (e.startsWith("delete ") && old.contains(e.substring(7))) {
        firstDelete = Math.min(firstDelete, i);
      }
    }
    assertThat(lastCommit).as(events.toString()).isNotNegative();
    assertThat(firstDelete).as(events.toString()).isGreaterThan(lastCommit).isLessThan(99_999);
    assertThat(events).filteredOn(e -> e.startsWith("delete ")).hasSizeGreaterThanOrEqualTo(9);
  }

  @Test
  void resumeKeepsTheCommittedObjectsAbortsLeftUploadsAndReadsOnlyTheRest() throws IOException {
    run(3, false, false);
    // as if the run had been killed: some files never committed, no manifest, no report, the
    // marker there, and an incomplete multipart upload of the file that was being written
    List<String> files = dataNames();
    assertThat(files.size()).isGreaterThan(6);
    delete(files.get(0));
    delete(files.get(3));
    delete(files.get(files.size() - 1));
    delete("_logs.manifest.jsonl");
    delete("_logs.report.json");
    server
        .admin()
        .putObject(
            r -> r.bucket(bucket).key(PREFIX + "/_logs.in-progress.json"),
            RequestBody.fromString("{\"runId\":\"x\",\"overwrite\":false}\n"));
    server.admin().createMultipartUpload(r -> r.bucket(bucket).key(PREFIX + "/" + files.get(3)));
    assertThat(server.uploads(bucket)).hasSize(1);
    Map<String, String> kept = objects();

    IngestReport report = run(2, false, true);

    assertExactlyOnce();
    assertThat(server.uploads(bucket)).as("the killed run's upload was aborted").isEmpty();
    Map<String, String> after = objects();
    assertThat(after)
        .doesNotContainKey("_logs.in-progress.json")
        .containsKeys("_logs.manifest.jsonl", "_logs.report.json");
    kept.forEach(
        (k, etag) -> {
          if (k.endsWith(".parquet")) {
            assertThat(after).as("kept as it was").containsEntry(k, etag);
          }
        });
    assertThat(report.succeeded()).isTrue();

    // resuming a finished run reads nothing more
    run(1, false, true);
    assertExactlyOnce();
  }

  /** Records the order of commits and deletes, for the overwrite test; delegates the rest. */
  private static final class Recording extends ForwardingSink {
    private final List<String> events;

    Recording(Sink sink, List<String> events) {
      super(sink);
      this.events = events;
    }

    @Override
    protected StagedOutput staged(String name, StagedOutput out) {
      return new ForwardingStagedOutput(out) {
        @Override
        public void commit() {
          out.commit();
          events.add("commit " + name);
        }
      };
    }

    @Override
    public void delete(String name) {
      events.add("delete " + name);
      sink.delete(name);
    }
  }
}
