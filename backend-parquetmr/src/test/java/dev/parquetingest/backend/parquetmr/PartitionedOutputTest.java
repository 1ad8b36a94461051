package dev.parquetingest.backend.parquetmr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.partition.Partitioning;
import dev.parquetingest.testing.DuckDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partitioned output with the real parquet-mr encoder, and the manifest, both checked with DuckDB
 * reading the files and the manifest on its own.
 */
class PartitionedOutputTest {
  private static final long ROWS = 50_000;
  private static final int PARTITIONS = 20;

  @Test
  void everyRowIsInItsPartitionOnceAndTheManifestDescribesEveryFile(@TempDir Path dir)
      throws IOException {
    IngestReport report =
        ParquetIngest.builder()
            .source(new ManyPartitionsMain.Rows(ROWS, PARTITIONS))
            .outputDirectory(dir)
            .encoder("parquet-mr")
            .partitionBy(Partitioning.byColumns("k"))
            .maxRowsPerFile(1_000)
            .filePrefix("p")
            .run();

    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
    }
    // 2,500 rows per partition in files of 1,000
    assertThat(files).hasSize(PARTITIONS * 3);
    assertThat(report.files()).hasSize(files.size());
    assertThat(report.peakOpenFiles()).isEqualTo(PARTITIONS);
    String glob = DuckDb.literal(dir) + " || '/*/*.parquet'";
    assertThat(
            DuckDb.query(
                "SELECT count(*), count(DISTINCT id), min(id), max(id),"
                    + " count(*) FILTER (WHERE regexp_extract(filename, 'k=([0-9]+)/', 1)::INT <> k)"
                    + " FROM read_parquet("
                    + glob
                    + ", filename=true)"))
        .containsExactly(List.of(ROWS, ROWS, 0L, ROWS - 1, 0L));

    Path manifest = dir.resolve("_p.manifest.jsonl");
    assertThat(report.manifestLocation()).isEqualTo(manifest.toString());
    assertThat(Files.readAllLines(manifest)).hasSize(files.size());
    // locations relative to the output root: the partition directory and the file name
    assertThat(Files.readAllLines(manifest))
        .allSatisfy(
            l -> assertThat(l).matches("\\{\"location\":\"k=[0-9]+/p-[0-9-]+\\.parquet\".*"));
    // the manifest, read by DuckDB, against each file read by DuckDB
    List<List<Object>> mismatches =
        DuckDb.query(
            "WITH m AS (SELECT location, partition, rows, bytes,"
                + "   columns.id.min::BIGINT AS id_min, columns.id.max::BIGINT AS id_max,"
                + "   columns.text.min AS text_min, columns.text.max AS text_max,"
                + "   columns.k.nulls AS k_nulls"
                + " FROM read_json("
                + DuckDb.literal(manifest)
                + ", format='newline_delimited')),"
                + " f AS (SELECT filename, count(*) AS rows, min(id) AS id_min, max(id) AS id_max,"
                + "   min(text) AS text_min, max(text) AS text_max, any_value(k) AS k"
                + " FROM read_parquet("
                + glob
                + ", filename=true) GROUP BY filename)"
                + " SELECT m.location, f.filename FROM m FULL OUTER JOIN f"
                + "   ON "
                + DuckDb.literal(dir)
                + " || '/' || m.location = f.filename"
                + " WHERE f.filename IS NULL OR m.location IS NULL OR m.rows <> f.rows"
                + "   OR m.id_min <> f.id_min OR m.id_max <> f.id_max"
                + "   OR m.text_min <> f.text_min OR m.text_max <> f.text_max"
                + "   OR m.partition <> 'k=' || f.k OR m.k_nulls <> 0");
    assertThat(mismatches).isEmpty();
    for (IngestReport.FileReport f : report.files()) {
      assertThat(f.bytes()).isEqualTo(Files.size(Path.of(f.location())));
    }
  }
}
