package dev.parquetingest.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.partition.Partitioning;
import dev.parquetingest.testing.KeysSource;
import dev.parquetingest.testing.LinesEncoderProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code maxOpenFiles}: the least recently written file is finished when one more is needed. */
class OpenFileBoundTest {
  private static IngestReport run(Path dir, int maxOpenFiles, String... keys) {
    return ParquetIngest.builder()
        .source(new KeysSource(keys))
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
