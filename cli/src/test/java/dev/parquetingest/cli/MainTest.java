package dev.parquetingest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.testing.DuckDb;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out), new PrintWriter(err));
  }

  @Test
  void generateThenConvertGivesParquetThatDuckDbReads() throws Exception {
    Path csv = dir.resolve("reviews.csv");
    assertThat(run("generate", "reviews", "--rows", "3000", "--seed", "4", "--out", csv.toString()))
        .isZero();
    Path outDir = dir.resolve("out");
    assertThat(
            run(
                "csv",
                csv.toString(),
                "--out",
                outDir.toString(),
                "--max-rows-per-file",
                "1000",
                "--compression-level",
                "5",
                "--no-progress"))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).contains("Wrote 3,000 rows to 3 files");
    assertThat(Files.exists(outDir.resolve("reviews-00002.parquet"))).isTrue();
    assertThat(
            DuckDb.scalar(
                "SELECT count(*) FROM read_parquet("
                    + DuckDb.literal(outDir)
                    + " || '/*.parquet')"))
        .isEqualTo(3000L);
    assertThat(Files.exists(outDir.resolve("_reviews.report.json"))).isTrue();
  }

  @Test
  void badRecordExitsWith3AndNamesTheLine() throws Exception {
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "id,n\n1,2\n2,x\n");
    Path schema = dir.resolve("schema.txt");
    Files.writeString(schema, "# test\nid: int64 not null\nn: int32\n");
    assertThat(
            run(
                "csv",
                csv.toString(),
                "--out",
                dir.resolve("o").toString(),
                "--schema",
                schema.toString()))
        .isEqualTo(3);
    assertThat(err.toString())
        .contains("Cannot parse column 'n' as int32: \"x\"")
        .contains("line 3");
  }

  @Test
  void aFailedRunThatCommittedFilesSaysWhichLinesTheyHoldAndHowToGoOn() throws Exception {
    Path csv = dir.resolve("bad.csv");
    StringBuilder text = new StringBuilder("id,n\n");
    for (int i = 1; i <= 1000; i++) {
      text.append(i).append(',').append(i == 750 ? "x" : Integer.toString(i)).append('\n');
    }
    Files.writeString(csv, text);
    Path schema = dir.resolve("schema.txt");
    Files.writeString(schema, "id: int64 not null\nn: int32\n");
    Path o = dir.resolve("o");
    String[] args = {
      "csv",
      csv.toString(),
      "--out",
      o.toString(),
      "--schema",
      schema.toString(),
      "--workers",
      "1",
      "--max-rows-per-file",
      "200",
      "--no-progress"
    };
    assertThat(run(args)).isEqualTo(3);
    // the record of id 750 is on line 751; files of 200 rows hold lines 2-201, ... 602-801 aborted
    assertThat(err.toString().lines())
        .containsExactly(
            "parquet-ingest: Cannot parse column 'n' as int32: \"x\" (" + csv + ", line 751)",
            "parquet-ingest: Kept 3 files (600 rows) in "
                + o
                + " holding lines 2-601 of "
                + csv
                + "; rerun with --resume (resume(true)) to read the rest");

    // a plain rerun refuses before reading, naming the two ways on
    err.getBuffer().setLength(0);
    assertThat(run(args)).isEqualTo(1);
    assertThat(err.toString())
        .contains("already holds 3 data files of prefix 'bad' from an earlier run")
        .contains("--overwrite")
        .contains("--resume");
    // the input fixed, --resume reads exactly the rest
    Files.writeString(csv, text.toString().replace("\n750,x\n", "\n750,750\n"));
    String[] resume = java.util.Arrays.copyOf(args, args.length + 1);
    resume[args.length] = "--resume";
    assertThat(run(resume)).as(err.toString()).isZero();
    String files = "read_parquet(" + DuckDb.literal(o) + " || '/*.parquet')";
    assertThat(DuckDb.scalar("SELECT count(*) FROM " + files)).isEqualTo(1000L);
    assertThat(DuckDb.scalar("SELECT count(DISTINCT id) FROM " + files)).isEqualTo(1000L);
    assertThat(DuckDb.scalar("SELECT count(*) FROM " + files + " WHERE id <> n")).isEqualTo(0L);
  }

  @Test
  void rejectPolicyExitsZeroAndCountsRejects() throws Exception {
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "id,n\n1,2\n2,x\n3,4\n");
    Path schema = dir.resolve("schema.txt");
    Files.writeString(schema, "id: int64\nn: int32\n");
    assertThat(
            run(
                "csv",
                csv.toString(),
                "--out",
                dir.resolve("o").toString(),
                "--schema",
                schema.toString(),
                "--on-bad-record",
                "reject",
                "--json"))
        .isZero();
    assertThat(out.toString()).contains("\"rowsRejected\": 1").contains("\"rowsWritten\": 2");
  }

  @Test
  void missingInputExitsWith3() {
    assertThat(run("csv", dir.resolve("nope.csv").toString(), "--out", dir.resolve("o").toString()))
        .isEqualTo(3);
    assertThat(err.toString()).contains("nope.csv").contains("no such file");
  }

  @Test
  void usageErrorsExitWith2() {
    assertThat(run("csv")).isEqualTo(2);
    assertThat(run("csv", "x.csv", "--out", "o", "--compression-level", "99")).isEqualTo(2);
    assertThat(err.toString()).contains("Invalid --compression-level 99: must be from 1 to 22");
    assertThat(run("csv", "x.csv", "--out", "o", "--backend", "orc")).isEqualTo(2);
    assertThat(err.toString()).contains("Invalid --backend 'orc': use ");
    assertThat(run("csv", "x.csv", "--out", "o", "--target-file-size", "lots")).isEqualTo(2);
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(run("csv", "x.csv", "--out", "o", "--workers", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("workers 0");
  }

  @Test
  void hadoopIsNotOnTheRuntimeClassPath() {
    assertThatThrownBy(() -> Class.forName("org.apache.hadoop.conf.Configuration"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void partitionByWritesHiveDirectoriesThatDuckDbReadsBack() throws Exception {
    Path csv = dir.resolve("reviews.csv");
    assertThat(run("generate", "reviews", "--rows", "4000", "--seed", "5", "--out", csv.toString()))
        .isZero();
    Path outDir = dir.resolve("out");
    assertThat(
            run(
                "csv",
                csv.toString(),
                "--out",
                outDir.toString(),
                "--no-progress",
                "--partition-by",
                "marketplace, day(review_date)"))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).contains("manifest: " + outDir.resolve("_reviews.manifest.jsonl"));
    // every row sits under the directories named by its own values, and no row is lost
    String glob = DuckDb.literal(outDir) + " || '/*/*/*.parquet'";
    assertThat(
            DuckDb.query(
                "SELECT count(*),"
                    + " count(*) FILTER (WHERE filename NOT LIKE '%/marketplace=' || coalesce(marketplace,"
                    + " '__HIVE_DEFAULT_PARTITION__') || '/dt=' || coalesce(CAST(review_date AS VARCHAR),"
                    + " '__HIVE_DEFAULT_PARTITION__') || '/%')"
                    + " FROM read_parquet("
                    + glob
                    + ", filename=true, hive_partitioning=false)"))
        .containsExactly(java.util.List.of(4000L, 0L));
    assertThat(
            DuckDb.query(
                "SELECT count(*) FROM (SELECT * FROM read_csv("
                    + DuckDb.literal(csv)
                    + ") EXCEPT ALL SELECT * EXCLUDE (filename) FROM read_parquet("
                    + glob
                    + ", filename=true, hive_partitioning=false))"))
        .containsExactly(java.util.List.of(0L));
  }

  @Test
  void maxOpenFilesBoundsTheOpenPartitionFilesAndLosesNoRow() throws Exception {
    Path csv = dir.resolve("reviews.csv");
    assertThat(run("generate", "reviews", "--rows", "4000", "--seed", "5", "--out", csv.toString()))
        .isZero();
    Path outDir = dir.resolve("out");
    assertThat(
            run(
                "csv",
                csv.toString(),
                "--out",
                outDir.toString(),
                "--no-progress",
                "--workers",
                "1",
                "--partition-by",
                "marketplace",
                "--max-open-files",
                "2",
                "--json"))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).contains("\"peakOpenFiles\": 2");
    String glob = DuckDb.literal(outDir) + " || '/*/*.parquet'";
    long partitions =
        (Long)
            DuckDb.scalar(
                "SELECT count(DISTINCT coalesce(marketplace, ''))"
                    + " FROM read_csv("
                    + DuckDb.literal(csv)
                    + ")");
    assertThat(partitions).isGreaterThan(2);
    // more files than partitions: files were finished to stay within two open ones
    long files =
        (Long)
            DuckDb.scalar(
                "SELECT count(DISTINCT filename) FROM read_parquet("
                    + glob
                    + ", filename=true, hive_partitioning=false)");
    assertThat(files).isGreaterThan(partitions);
    assertThat(
            DuckDb.query(
                "SELECT count(*) FROM (SELECT * FROM read_csv("
                    + DuckDb.literal(csv)
                    + ") EXCEPT ALL SELECT * EXCLUDE (filename) FROM read_parquet("
                    + glob
                    + ", filename=true, hive_partitioning=false))"))
        .containsExactly(java.util.List.of(0L));
    assertThat(DuckDb.scalar("SELECT count(*) FROM read_parquet(" + glob + ")")).isEqualTo(4000L);

    assertThat(
            run(
                "csv",
                csv.toString(),
                "--out",
                dir.resolve("o2").toString(),
                "--no-progress",
                "--max-open-files",
                "0"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("Invalid maxOpenFiles 0: must be at least 1");
  }

  @Test
  void aBadPartitionSpecIsAUsageErrorNamingTheColumns() throws Exception {
    Path csv = dir.resolve("reviews.csv");
    assertThat(run("generate", "reviews", "--rows", "10", "--seed", "5", "--out", csv.toString()))
        .isZero();
    assertThat(
            run(
                "csv",
                csv.toString(),
                "--out",
                dir.resolve("o").toString(),
                "--no-progress",
                "--partition-by",
                "day(star_rating)"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("column 'star_rating' is int64, not a date or timestamp");
    assertThat(
            run(
                "csv",
                csv.toString(),
                "--out",
                dir.resolve("o2").toString(),
                "--no-progress",
                "--partition-by",
                "nation"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("no column 'nation'").contains("marketplace");
  }

  /** Names in {@code d}, sorted; none if it is not there. */
  private static java.util.List<String> names(Path d) throws java.io.IOException {
    if (!Files.isDirectory(d)) {
      return java.util.List.of();
    }
    try (java.util.stream.Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aRunThatFailsBeforeReadingLeavesNothingThatBlocksTheCorrectedRerun() throws Exception {
    Path csv = dir.resolve("reviews.csv");
    Path o = dir.resolve("o");
    // a missing input, then the file is there
    assertThat(run("csv", csv.toString(), "--out", o.toString(), "--no-progress")).isEqualTo(3);
    assertThat(err.toString()).contains("no such file");
    // its report (status failed) at most: no data file, no marker, no temporary file
    assertThat(names(o)).allMatch(n -> n.equals("_reviews.report.json"));
    assertThat(run("generate", "reviews", "--rows", "500", "--seed", "5", "--out", csv.toString()))
        .isZero();
    // an unknown partition column, then a known one, into the same directory
    assertThat(
            run(
                "csv",
                csv.toString(),
                "--out",
                o.toString(),
                "--no-progress",
                "--partition-by",
                "nation"))
        .isEqualTo(2);
    assertThat(names(o)).allMatch(n -> n.equals("_reviews.report.json"));
    assertThat(
            run(
                "csv",
                csv.toString(),
                "--out",
                o.toString(),
                "--no-progress",
                "--partition-by",
                "marketplace"))
        .as(err.toString())
        .isZero();
    assertThat(
            DuckDb.scalar(
                "SELECT count(*) FROM read_parquet("
                    + DuckDb.literal(o)
                    + " || '/**/*.parquet', hive_partitioning = true)"))
        .isEqualTo(500L);
  }

  @Test
  void anEmptyOutIsAUsageErrorAndWritesNothingIntoTheCurrentDirectory() throws Exception {
    Path csv = dir.resolve("reviews.csv");
    assertThat(run("generate", "reviews", "--rows", "10", "--seed", "5", "--out", csv.toString()))
        .isZero();
    java.util.List<String> before = names(Path.of("").toAbsolutePath());

    assertThat(run("csv", csv.toString(), "--out", "", "--no-progress")).isEqualTo(2);

    assertThat(err.toString()).contains("Invalid --out ''").doesNotContain("java.");
    assertThat(names(Path.of("").toAbsolutePath())).isEqualTo(before);
  }

  @Test
  void generateRefusesToReplaceAnExistingFileUnlessAsked() throws Exception {
    Path csv = dir.resolve("mine.csv");
    Files.writeString(csv, "precious\n");

    assertThat(run("generate", "reviews", "--rows", "10", "--seed", "5", "--out", csv.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("Cannot write " + csv).contains("--replace");
    assertThat(Files.readString(csv)).isEqualTo("precious\n");

    assertThat(
            run(
                "generate",
                "reviews",
                "--rows",
                "10",
                "--seed",
                "5",
                "--out",
                csv.toString(),
                "--replace"))
        .isZero();
    assertThat(Files.readString(csv)).doesNotContain("precious").contains("marketplace");
  }

  @Test
  void schemaPrintsTheInferredSchemaInTheFormatThatSchemaReadsBack() throws Exception {
    Path csv = dir.resolve("t.csv");
    StringBuilder text = new StringBuilder("id,name,big\n");
    for (int i = 0; i < 50; i++) {
      text.append(i)
          .append(",n")
          .append(i)
          .append(',')
          .append(i < 20 ? "1" : "18446744073709551615")
          .append('\n');
    }
    Files.writeString(csv, text);
    assertThat(run("schema", csv.toString())).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo("id: int64\nname: string\nbig: decimal(20,0)\n");
    out.getBuffer().setLength(0);
    assertThat(run("schema", csv.toString(), "--inference-rows", "10")).isZero();
    assertThat(out.toString()).isEqualTo("id: int64\nname: string\nbig: int64\n");
    // the printed schema is what --schema reads
    Path schema = dir.resolve("schema.txt");
    out.getBuffer().setLength(0);
    assertThat(run("schema", csv.toString())).isZero();
    Files.writeString(schema, out.toString().replace("id: int64", "id: int32 not null"));
    assertThat(
            run(
                "csv",
                csv.toString(),
                "--out",
                dir.resolve("o").toString(),
                "--schema",
                schema.toString(),
                "--no-progress"))
        .as(err.toString())
        .isZero();
    assertThat(
            DuckDb.query(
                    "SELECT typeof(id), typeof(big) FROM read_parquet("
                        + DuckDb.literal(dir.resolve("o"))
                        + " || '/*.parquet') LIMIT 1")
                .get(0))
        .containsExactly("INTEGER", "DECIMAL(20,0)");
  }

  @Test
  void aValueBeyondTheInferenceSampleSaysHowToFixIt() throws Exception {
    Path csv = dir.resolve("late.csv");
    StringBuilder text = new StringBuilder("id,v\n");
    for (int i = 0; i < 30; i++) {
      text.append(i).append(',').append(i == 25 ? "x" : "1").append('\n');
    }
    Files.writeString(csv, text);
    assertThat(
            run(
                "csv",
                csv.toString(),
                "--out",
                dir.resolve("o").toString(),
                "--inference-rows",
                "10",
                "--no-progress"))
        .isEqualTo(3);
    assertThat(err.toString())
        .contains("Cannot parse column 'v' as int64: \"x\"")
        .contains("--inference-rows")
        .contains("--schema")
        .contains("line 27");
    assertThat(
            run(
                "csv",
                csv.toString(),
                "--out",
                dir.resolve("o2").toString(),
                "--inference-rows",
                "100",
                "--no-progress"))
        .as(err.toString())
        .isZero();
  }

  @Test
  void standardInputIsReadWithOneWorkerAndTheSummarySaysSo() throws Exception {
    StringBuilder text = new StringBuilder("id,name\n");
    for (int i = 0; i < 20_000; i++) {
      text.append(i).append(",n").append(i).append('\n');
    }
    java.io.InputStream stdin = System.in;
    try {
      System.setIn(
          new java.io.ByteArrayInputStream(
              text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      assertThat(
              run(
                  "csv",
                  "-",
                  "--out",
                  dir.resolve("o").toString(),
                  "--workers",
                  "4",
                  "--inference-rows",
                  "50",
                  "--no-progress"))
          .as(err.toString())
          .isZero();
    } finally {
      System.setIn(stdin);
    }
    assertThat(out.toString())
        .contains("Wrote 20,000 rows")
        .contains(
            "stdin is not seekable (a pipe, FIFO or standard input): read once, with one worker");
    assertThat(
            DuckDb.scalar(
                "SELECT count(DISTINCT id) FROM read_parquet("
                    + DuckDb.literal(dir.resolve("o"))
                    + " || '/*.parquet')"))
        .isEqualTo(20_000L);
  }
}
