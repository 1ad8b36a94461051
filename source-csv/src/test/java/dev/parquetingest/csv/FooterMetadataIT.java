package dev.parquetingest.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.datagen.Dataset;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.testing.DuckDb;
import dev.parquetingest.testing.ParquetFooters;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every data file of a CSV run says in its footer where its records came from: the source, the
 * positions of its first and last record (the manifest's strings) and the run id, as DuckDB's
 * {@code parquet_kv_metadata} and parquet-java's footer reader see them. (Each backend's encoder
 * contract suite checks the hook itself; this is the runtime's side, with the default backend.)
 */
class FooterMetadataIT {
  @TempDir Path dir;

  @Test
  void everyDataFileNamesItsSourceItsFirstAndLastPositionAndTheRun() throws Exception {
    Path csv = dir.resolve("logs.csv");
    Dataset.LOGS.writeCsv(csv, 2500, 5);
    Path out = dir.resolve("out");

    IngestReport report =
        ParquetIngest.builder()
            .source(CsvSource.builder(csv).schema(Dataset.LOGS.schema()).build())
            .maxRowsPerFile(1000)
            .outputDirectory(out)
            .run();

    assertThat(report.files()).hasSize(3);
    List<List<Object>> manifest =
        DuckDb.query(
            "SELECT location, firstPosition, lastPosition FROM read_json_auto("
                + DuckDb.literal(out.resolve("_logs.manifest.jsonl"))
                + ") ORDER BY location");
    assertThat(manifest).hasSize(3);
    String runId = null;
    long expectedFirstLine = 2; // line 1 is the header
    for (List<Object> m : manifest) {
      Path file = out.resolve(Path.of(String.valueOf(m.get(0))).getFileName());
      Map<String, String> kv = DuckDb.kvMetadata(file);
      assertThat(kv)
          .containsEntry(Encoder.SOURCE_KEY, csv.toString())
          .containsEntry(Encoder.FIRST_POSITION_KEY, String.valueOf(m.get(1)))
          .containsEntry(Encoder.LAST_POSITION_KEY, String.valueOf(m.get(2)))
          .containsKey(Encoder.RUN_ID_KEY);
      assertThat(kv.get(Encoder.FIRST_POSITION_KEY)).isEqualTo("line " + expectedFirstLine);
      assertThat(kv.get(Encoder.LAST_POSITION_KEY))
          .isEqualTo("line " + (expectedFirstLine + Math.min(999, 2500 + 1 - expectedFirstLine)));
      expectedFirstLine += 1000;
      assertThat(ParquetFooters.read(file).getFileMetaData().getKeyValueMetaData())
          .containsAllEntriesOf(kv);
      // one run: the same run id in every file
      if (runId == null) {
        runId = kv.get(Encoder.RUN_ID_KEY);
      }
      assertThat(kv.get(Encoder.RUN_ID_KEY)).isEqualTo(runId).matches("\\d{8}T\\d{9}Z-[0-9a-f]{4}");
    }
  }
}
