package dev.parquetingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.common.DataSize;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default of {@code --workers}: one per target file size of input, from 1 to the processors (at
 * most 8), so a small input is not cut into several small files.
 */
class DefaultWorkersTest {
  private static final long MB = 1024 * 1024;
  private static final DataSize TARGET = DataSize.ofMegabytes(128);

  @TempDir Path dir;

  @Test
  void oneWorkerPerTargetFileSizeOfInputBoundedByTheProcessors() {
    // issue 17: a 77 MB file became two files; now one worker, one file
    assertThat(CsvCommand.defaultWorkers(77 * MB, TARGET, 2)).isEqualTo(1);
    assertThat(CsvCommand.defaultWorkers(128 * MB, TARGET, 8)).isEqualTo(1);
    assertThat(CsvCommand.defaultWorkers(128 * MB + 1, TARGET, 8)).isEqualTo(2);
    // bench/e2e.sh's inputs on its 2-processor machine keep 2 workers
    assertThat(CsvCommand.defaultWorkers(246 * MB, TARGET, 2)).isEqualTo(2);
    assertThat(CsvCommand.defaultWorkers(618 * MB, TARGET, 2)).isEqualTo(2);
    assertThat(CsvCommand.defaultWorkers(618 * MB, TARGET, 8)).isEqualTo(5);
    assertThat(CsvCommand.defaultWorkers(100_000 * MB, TARGET, 8)).isEqualTo(8);
    // unknown size (standard input, a pipe) and empty files
    assertThat(CsvCommand.defaultWorkers(-1, TARGET, 8)).isEqualTo(1);
    assertThat(CsvCommand.defaultWorkers(0, TARGET, 8)).isEqualTo(1);
    assertThat(CsvCommand.defaultWorkers(10 * MB, DataSize.ofMegabytes(1), 1)).isEqualTo(1);
  }

  @Test
  void theCliAppliesTheRuleAndTheReportSaysWhatItUsed() throws IOException {
    StringBuilder sb = new StringBuilder("id,text,n\n");
    for (int i = 0; i < 200_000; i++) {
      sb.append(i)
          .append(",some text to make the line longer ")
          .append(i)
          .append(',')
          .append(i % 7);
      sb.append('\n');
    }
    Path csv = dir.resolve("rows.csv");
    Files.writeString(csv, sb);
    assertThat(Files.size(csv)).isGreaterThan(9 * MB);
    String before = System.getProperty(Main.DEFAULT_WORKERS_PROPERTY);
    System.setProperty(Main.DEFAULT_WORKERS_PROPERTY, "2");
    try {
      Path one = dir.resolve("one");
      assertThat(run(csv, one, "128MB")).isZero();
      assertThat(Files.readString(one.resolve("_rows.report.json"))).contains("\"workers\": \"1\"");
      assertThat(one.resolve("rows-00000.parquet")).exists();

      Path two = dir.resolve("two");
      assertThat(run(csv, two, "5MB")).isZero();
      assertThat(Files.readString(two.resolve("_rows.report.json"))).contains("\"workers\": \"2\"");
      assertThat(two.resolve("rows-000-00000.parquet")).exists();
      assertThat(two.resolve("rows-001-00000.parquet")).exists();
    } finally {
      if (before == null) {
        System.clearProperty(Main.DEFAULT_WORKERS_PROPERTY);
      } else {
        System.setProperty(Main.DEFAULT_WORKERS_PROPERTY, before);
      }
    }
  }

  private static int run(Path csv, Path out, String target) {
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new String[] {
              "csv",
              csv.toString(),
              "--out",
              out.toString(),
              "--target-file-size",
              target,
              "--no-progress"
            },
            new PrintWriter(new StringWriter()),
            new PrintWriter(err));
    assertThat(err.toString()).isEmpty();
    return code;
  }
}
