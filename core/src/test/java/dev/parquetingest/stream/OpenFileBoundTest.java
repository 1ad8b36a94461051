package dev.parquetingest.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.partition.Partitioning;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code maxOpenFiles}: the least recently written file is finished when one more is needed. */
class OpenFileBoundTest {
  private static final Schema SCHEMA =
      Schema.builder()
          .required("id", ColumnType.int64())
          .required("k", ColumnType.string())
          .build();

  /** Rows with ids 0.. and the given partition keys, in order. */
  private static final class Keys implements Source {
    private final List<String> keys;
    private int next;

    Keys(String... keys) {
      this.keys = List.of(keys);
    }

    @Override
    public String name() {
      return "keys";
    }

    @Override
    public Schema open() {
      return SCHEMA;
    }

    @Override
    public boolean next(MutableRow row) {
      if (next == keys.size()) {
        return false;
      }
      row.setLong(0, next);
      row.setString(1, keys.get(next++));
      return true;
    }

    @Override
    public Position position() {
      int at = next;
      return () -> "row " + at;
    }

    @Override
    public long bytesRead() {
      return 0;
    }

    @Override
    public void close() {}
  }

  private static IngestReport run(Path dir, int maxOpenFiles, String... keys) {
    return ParquetIngest.builder()
        .source(new Keys(keys))
        .encoder(new LinesEncoderProvider())
        .partitionBy(Partitioning.byColumns("k"))
        .maxOpenFiles(maxOpenFiles)
        .filePrefix("t")
        .outputDirectory(dir)
        .run();
  }

  private static List<Long> idsIn(Path file) throws Exception {
    return Files.readAllLines(file).stream().map(Long::parseLong).toList();
  }

  @Test
  void theLeastRecentlyWrittenFileIsFinishedFirst(@TempDir Path dir) throws Exception {
    // a, b, then a again: b is the least recently written when c needs a file
    IngestReport report = run(dir, 2, "a", "b", "a", "c", "a", "b");

    assertThat(report.peakOpenFiles()).isEqualTo(2);
    assertThat(report.rowsWritten()).isEqualTo(6);
    assertThat(idsIn(dir.resolve("k=a/t-00000.parquet"))).containsExactly(0L, 2L, 4L);
    assertThat(idsIn(dir.resolve("k=b/t-00000.parquet"))).containsExactly(1L);
    assertThat(idsIn(dir.resolve("k=b/t-00001.parquet"))).containsExactly(5L);
    assertThat(idsIn(dir.resolve("k=c/t-00000.parquet"))).containsExactly(3L);
    assertThat(TestSinks.dataFilesInPartitions(dir)).hasSize(4);
  }

  @Test
  void theBoundIsAtLeastOne() {
    assertThatThrownBy(() -> ParquetIngest.builder().maxOpenFiles(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid maxOpenFiles 0: must be at least 1");
  }
}
