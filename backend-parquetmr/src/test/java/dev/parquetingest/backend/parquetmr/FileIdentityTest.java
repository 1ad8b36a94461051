package dev.parquetingest.backend.parquetmr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.parquet.Footers;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.testing.DuckDb;
import dev.parquetingest.testing.ParquetFooters;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.parquet.VersionParser;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our files say that parquet-ingest wrote them, in the form readers parse, and stay valid. */
class FileIdentityTest {
  @TempDir Path dir;

  @Test
  void createdByAndWriterMetadataNameParquetIngest() throws Exception {
    Schema schema =
        Schema.builder()
            .required("id", ColumnType.int64())
            .optional("s", ColumnType.string())
            .build();
    Path file = dir.resolve("f.parquet");
    MutableRow row = new MutableRow(schema);
    try (OutputStream out = Files.newOutputStream(file);
        Encoder encoder =
            new ParquetMrEncoderProvider().open(schema, out, EncoderOptions.builder().build())) {
      for (int i = 0; i < 1000; i++) {
        row.setLong(0, i);
        row.setString(1, "v" + (i % 7));
        encoder.write(row);
      }
      encoder.finish();
    }

    // parquet-java reads the footer, and parses created_by as our application and version
    FileMetaData footer = ParquetFooters.read(file).getFileMetaData();
    assertThat(footer.getCreatedBy())
        .isEqualTo(Footers.CREATED_BY)
        .startsWith("parquet-ingest version ")
        .contains("(build parquet-java-");
    VersionParser.ParsedVersion parsed = VersionParser.parse(footer.getCreatedBy());
    assertThat(parsed.application).isEqualTo("parquet-ingest");
    assertThat(parsed.version).isEqualTo(Footers.VERSION).isNotEqualTo("development");
    assertThat(footer.getKeyValueMetaData())
        .containsEntry(Footers.WRITER_KEY, "parquet-ingest " + Footers.VERSION);

    // DuckDB, independently: the same created_by and key-value entry, and every row
    assertThat(
            DuckDb.scalar(
                "SELECT created_by FROM parquet_file_metadata(" + DuckDb.literal(file) + ")"))
        .isEqualTo(Footers.CREATED_BY);
    assertThat(
            DuckDb.scalar(
                "SELECT decode(value) FROM parquet_kv_metadata("
                    + DuckDb.literal(file)
                    + ") WHERE decode(key) = '"
                    + Footers.WRITER_KEY
                    + "'"))
        .isEqualTo("parquet-ingest " + Footers.VERSION);
    assertThat(DuckDb.count(file)).isEqualTo(1000);
    assertThat(
            ((Number)
                    DuckDb.scalar("SELECT sum(id) FROM read_parquet(" + DuckDb.literal(file) + ")"))
                .longValue())
        .isEqualTo(499_500L);
  }
}
