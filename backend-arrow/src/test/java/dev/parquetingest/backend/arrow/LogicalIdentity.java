package dev.parquetingest.backend.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.parquet.Footers;
import dev.parquetingest.spi.ColumnStats;
import dev.parquetingest.testing.DuckDb;
import dev.parquetingest.testing.ParquetFooters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

/**
 * What "the same content" means between the parquet-mr file and the arrow file of the same rows
 * (issue 11): DuckDB's {@code EXCEPT ALL} is empty both ways; parquet-java's own column reader
 * reads the same values in the same order from both; the encoders report equal column statistics;
 * the footers have the same schema, {@code created_by} and key-value metadata; every column chunk
 * is ZSTD; a chunk with dictionary-encoded pages has a dictionary page (which columns keep their
 * dictionary may differ where a row group ends on other rows: parquet-java's fallback rule decides
 * on a row group's first page), and DuckDB sees those columns as dictionary-encoded; the arrow file
 * is within ±3 % of the parquet-mr file's size.
 */
final class LogicalIdentity {
  /** A finished file and the column statistics its encoder reported. */
  record Written(Path file, List<ColumnStats> stats) {}

  private LogicalIdentity() {}

  static void assertSameContent(Written mr, Written arrow, long rows) {
    assertSameRows(mr.file(), arrow.file(), rows);
    List<List<Object>> fromMr = ParquetJavaValues.read(mr.file());
    List<List<Object>> fromArrow = ParquetJavaValues.read(arrow.file());
    assertThat(fromArrow).hasSameSizeAs(fromMr);
    for (int c = 0; c < fromMr.size(); c++) {
      assertThat(fromArrow.get(c)).as("column %d read by parquet-java", c).hasSize((int) rows);
      assertThat(fromArrow.get(c)).as("column %d read by parquet-java", c).isEqualTo(fromMr.get(c));
    }
    assertThat(arrow.stats()).as("column statistics").isEqualTo(mr.stats());

    ParquetMetadata a = ParquetFooters.read(mr.file());
    ParquetMetadata b = ParquetFooters.read(arrow.file());
    assertThat(b.getFileMetaData().getSchema()).isEqualTo(a.getFileMetaData().getSchema());
    assertThat(b.getFileMetaData().getCreatedBy())
        .isEqualTo(Footers.CREATED_BY)
        .isEqualTo(a.getFileMetaData().getCreatedBy());
    assertThat(b.getFileMetaData().getKeyValueMetaData())
        .isEqualTo(a.getFileMetaData().getKeyValueMetaData());
    for (BlockMetaData block : b.getBlocks()) {
      for (ColumnChunkMetaData chunk : block.getColumns()) {
        assertThat(chunk.getCodec())
            .as("%s codec", chunk.getPath())
            .isEqualTo(CompressionCodecName.ZSTD);
        assertThat(chunk.hasDictionaryPage())
            .as(
                "%s has a dictionary page exactly when its pages use one: %s",
                chunk.getPath(), chunk.getEncodings())
            .isEqualTo(usesDictionary(chunk));
      }
    }
    if (!b.getBlocks().isEmpty()) {
      assertThat(DuckDb.codecs(arrow.file())).containsExactly("ZSTD");
    }
    Set<String> dictionaryColumns = dictionaryColumns(b);
    assertThat(dictionaryColumns.isEmpty())
        .as(
            "columns with a dictionary: %s, with parquet-mr %s",
            dictionaryColumns, dictionaryColumns(a))
        .isEqualTo(dictionaryColumns(a).isEmpty());
    Set<String> withDictionary = new TreeSet<>();
    for (int g = 0; g < b.getBlocks().size(); g++) {
      for (ColumnChunkMetaData chunk : b.getBlocks().get(g).getColumns()) {
        if (chunk.hasDictionaryPage()) {
          withDictionary.add(g + " " + chunk.getPath().toDotString());
        }
      }
    }
    for (List<Object> r :
        DuckDb.query(
            "SELECT row_group_id, path_in_schema, encodings FROM parquet_metadata("
                + DuckDb.literal(arrow.file())
                + ")")) {
      if (withDictionary.contains(r.get(0) + " " + r.get(1))) {
        assertThat(String.valueOf(r.get(2)))
            .as("DuckDB's encodings of %s in row group %s", r.get(1), r.get(0))
            .contains("DICTIONARY");
      }
    }
    long mrSize = size(mr.file());
    long arrowSize = size(arrow.file());
    assertThat((double) arrowSize)
        .as("arrow file %d bytes, parquet-mr file %d bytes", arrowSize, mrSize)
        .isBetween(mrSize * 0.97, mrSize * 1.03);
  }

  /** Both files hold the same multiset of rows: EXCEPT ALL is empty both ways. */
  static void assertSameRows(Path mr, Path arrow, long rows) {
    String a = "SELECT * FROM read_parquet(" + DuckDb.literal(mr) + ")";
    String b = "SELECT * FROM read_parquet(" + DuckDb.literal(arrow) + ")";
    assertThat(DuckDb.count(mr)).isEqualTo(rows);
    assertThat(DuckDb.count(arrow)).isEqualTo(rows);
    assertThat(DuckDb.query("SELECT count(*) FROM (" + a + " EXCEPT ALL " + b + ")").get(0).get(0))
        .isEqualTo(0L);
    assertThat(DuckDb.query("SELECT count(*) FROM (" + b + " EXCEPT ALL " + a + ")").get(0).get(0))
        .isEqualTo(0L);
  }

  @SuppressWarnings("deprecation")
  private static boolean usesDictionary(ColumnChunkMetaData chunk) {
    return chunk.getEncodings().contains(Encoding.PLAIN_DICTIONARY)
        || chunk.getEncodings().contains(Encoding.RLE_DICTIONARY);
  }

  private static Set<String> dictionaryColumns(ParquetMetadata footer) {
    Set<String> names = new TreeSet<>();
    for (BlockMetaData block : footer.getBlocks()) {
      for (ColumnChunkMetaData chunk : block.getColumns()) {
        if (chunk.hasDictionaryPage()) {
          names.add(chunk.getPath().toDotString());
        }
      }
    }
    return names;
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
