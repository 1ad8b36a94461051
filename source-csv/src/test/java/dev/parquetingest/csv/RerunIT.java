package dev.parquetingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.BadRecordPolicy;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.common.IngestException;
import dev.parquetingest.datagen.Dataset;
import dev.parquetingest.partition.Partitioning;
import dev.parquetingest.testing.DuckDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch rerun contract (docs/delivery.md): a rerun into a directory holding data files of the
 * prefix refuses before reading, whatever the earlier worker count; a run that committed nothing
 * blocks nothing; {@code overwrite} replaces; {@code resume} reads only what the kept files'
 * footers do not cover, so DuckDB finds every record exactly once.
 */
class RerunIT {
  private static final int ROWS = 6_000;

  @TempDir Path dir;
  private ResumeFixture f;
  private Path csv;
  private Path out;

  @BeforeEach
  void input() throws IOException {
    f = new ResumeFixture(dir, ROWS, 7, List.of(), 700);
    csv = f.csv;
    out = f.out;
  }

  private void run(Path to, int workers, boolean overwrite, boolean resume) {
    f.run(to, workers, overwrite, resume);
  }

  private List<Path> dataFiles() throws IOException {
    return f.dataFiles();
  }

  private List<String> names() throws IOException {
    return f.names();
  }

  private void assertExactlyOnce() throws IOException {
    f.assertExactlyOnce();
  }

  @Test
  void aRerunWithAnotherWorkerCountRefusesNamingWhatItFoundAndTheWaysOn() throws IOException {
    run(out, 3, false, false);
    List<String> before = names();
    assertThat(before).anyMatch(n -> n.matches("logs-002-\\d{5}\\.parquet"));

    assertThatThrownBy(() -> run(out, 1, false, false))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("data files of prefix 'logs'")
        .hasMessageContaining("--overwrite")
        .hasMessageContaining("--resume");
    assertThat(names()).isEqualTo(before);
    assertExactlyOnce();
  }

  @Test
  void aRunThatCommittedNothingLeavesNothingThatBlocksItsRerun() throws IOException {
    Path bad = dir.resolve("bad.csv");
    List<String> lines = Files.readAllLines(csv);
    lines.set(5, "not,a,valid,record,at,all");
    Files.write(bad, lines);
    assertThatThrownBy(
            () ->
                ParquetIngest.builder()
                    .source(CsvSource.builder(bad).schema(Dataset.LOGS.schema()).build())
                    .filePrefix("logs")
                    .outputDirectory(out)
                    .run())
        .isInstanceOf(RuntimeException.class);
    assertThat(names()).noneMatch(n -> n.endsWith(".parquet"));

    run(out, 2, false, false);
    assertExactlyOnce();
  }

  @Test
  void aFailedPartitionedRunLeavesNoEmptyDirectory() throws IOException {
    Path bad = dir.resolve("bad.csv");
    List<String> lines = Files.readAllLines(csv);
    lines.set(4000, "not,a,valid,record,at,all");
    Files.write(bad, lines);
    assertThatThrownBy(
            () ->
                ParquetIngest.builder()
                    .source(CsvSource.builder(bad).schema(Dataset.LOGS.schema()).build())
                    .partitionBy(Partitioning.byColumns("host"))
                    .maxRowsPerFile(300)
                    .outputDirectory(out)
                    .run())
        .isInstanceOf(RuntimeException.class);
    try (Stream<Path> all = Files.walk(out)) {
      List<Path> dirs = all.filter(Files::isDirectory).collect(Collectors.toList());
      for (Path d : dirs) {
        try (Stream<Path> entries = Files.list(d)) {
          assertThat(entries.findAny()).as(d.toString()).isPresent();
        }
      }
    }
  }

  /** Every path under {@code out}, relative, sorted. */
  private List<String> tree() throws IOException {
    try (Stream<Path> all = Files.walk(out)) {
      return all.map(p -> out.relativize(p).toString()).sorted().collect(Collectors.toList());
    }
  }

  private void runPartitioned(Path input, int workers, boolean overwrite) {
    ParquetIngest.builder()
        .source(CsvSource.builder(input).schema(Dataset.LOGS.schema()).minPartBytes(1024).build())
        .filePrefix("logs")
        .partitionBy(Partitioning.byColumns("host"))
        .workers(workers)
        .maxRowsPerFile(300)
        .outputDirectory(out)
        .overwrite(overwrite)
        .run();
  }

  @Test
  void aPartitionedRerunRefusesBeforeItWritesAnything() throws IOException {
    runPartitioned(csv, 2, false);
    List<String> before = tree();
    assertThat(before).anyMatch(n -> n.startsWith("host=") && n.endsWith(".parquet"));

    assertThatThrownBy(() -> runPartitioned(csv, 1, false))
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("data files of prefix 'logs'")
        .hasMessageContaining("--overwrite");
    assertThat(tree()).as("nothing committed, nothing removed").isEqualTo(before);

    runPartitioned(csv, 1, true);
    assertThat(
            DuckDb.scalar(
                "SELECT count(*) FROM read_parquet("
                    + DuckDb.literal(out)
                    + " || '/**/*.parquet', hive_partitioning = false)"))
        .isEqualTo((long) ROWS);
  }

  @Test
  void overwriteRemovesTheEarlierRunsRejectsAndTempFiles() throws IOException {
    Path bad = dir.resolve("bad.csv");
    List<String> lines = Files.readAllLines(csv);
    lines.set(2500, "not,a,valid,record,at,all");
    Files.write(bad, lines);
    ParquetIngest.builder()
        .source(CsvSource.builder(bad).schema(Dataset.LOGS.schema()).minPartBytes(1024).build())
        .filePrefix("logs")
        .onBadRecord(BadRecordPolicy.REJECT)
        .workers(3)
        .maxRowsPerFile(700)
        .outputDirectory(out)
        .run();
    assertThat(names()).contains("_logs.rejects.jsonl");
    Files.writeString(out.resolve(".logs-001-00009.parquet.1234.inprogress"), "partial");

    run(out, 2, true, false);

    assertThat(names())
        .doesNotContain("_logs.rejects.jsonl", ".logs-001-00009.parquet.1234.inprogress")
        .contains("_logs.manifest.jsonl", "_logs.report.json");
    assertExactlyOnce();
  }

  @Test
  void overwriteReplacesEveryFileOfTheEarlierRunWhateverItsWorkerCount() throws IOException {
    run(out, 3, false, false);
    run(out, 1, true, false);
    assertThat(names())
        .allMatch(n -> !n.endsWith(".parquet") || n.matches("logs-\\d{5}\\.parquet"));
    assertThat(names()).doesNotContain("_logs.in-progress.json");
    assertExactlyOnce();
    assertThat(
            DuckDb.scalar(
                "SELECT count(*) FROM read_json_auto("
                    + DuckDb.literal(out.resolve("_logs.manifest.jsonl"))
                    + ")"))
        .isEqualTo((long) dataFiles().size());
  }

  @Test
  void resumeReadsOnlyWhatTheKeptFilesDoNotHoldEveryRecordExactlyOnce() throws IOException {
    run(out, 3, false, false);
    // as if the run had been killed: some files never committed, no manifest, no report
    f.interrupt("{\"runId\":\"x\"}", 0, 3, -1);
    Files.writeString(out.resolve(".logs-001-00003.parquet.1234.inprogress"), "partial");

    run(out, 2, false, true);
    assertExactlyOnce();
    assertThat(names())
        .doesNotContain("_logs.in-progress.json", ".logs-001-00003.parquet.1234.inprogress")
        .contains("_logs.manifest.jsonl", "_logs.report.json");
    assertThat(
            DuckDb.scalar(
                "SELECT count(*) FROM read_json_auto("
                    + DuckDb.literal(out.resolve("_logs.manifest.jsonl"))
                    + ")"))
        .isEqualTo((long) dataFiles().size());

    // a resumed run's own files carry offsets too: interrupted again, it resumes again
    List<Path> now = dataFiles();
    Files.delete(now.get(now.size() - 1));
    Files.delete(now.get(1));
    run(out, 1, false, true);
    assertExactlyOnce();

    // resuming a finished run reads nothing more
    run(out, 1, false, true);
    assertExactlyOnce();
  }

  @Test
  void resumeRefusesFilesOfAnotherSource() throws IOException {
    run(out, 1, false, false);
    Path other = dir.resolve("other").resolve("logs.csv");
    Files.createDirectories(other.getParent());
    Files.copy(csv, other);
    assertThatThrownBy(
            () ->
                ParquetIngest.builder()
                    .source(CsvSource.builder(other).schema(Dataset.LOGS.schema()).build())
                    .outputDirectory(out)
                    .resume(true)
                    .run())
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("not of " + other);
  }

  @Test
  void theBuilderRefusesResumeWithPartitionBy() {
    assertThatThrownBy(
            () ->
                ParquetIngest.builder()
                    .source(f.source())
                    .outputDirectory(out)
                    .partitionBy(Partitioning.byColumns("host"))
                    .resume(true)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("resume does not work with partitionBy")
        .hasMessageContaining("use overwrite");
  }

  @Test
  void theBuilderRefusesOverwriteWithResume() {
    assertThatThrownBy(
            () ->
                ParquetIngest.builder()
                    .source(CsvSource.builder(csv).build())
                    .outputDirectory(out)
                    .overwrite(true)
                    .resume(true)
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("choose one");
    assertThat(BadRecordPolicy.values()).isNotEmpty();
  }
}
