package dev.parquetingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.testing.DuckDb;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --max-field-chars}: the CSV field limit, and the error that names it. */
class MaxFieldCharsTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out), new PrintWriter(err));
  }

  /** Three records; the second's text is 2000 bytes long. */
  private Path csv() throws Exception {
    Path csv = dir.resolve("long.csv");
    Files.writeString(csv, "id,text\n1,a\n2," + "x".repeat(2000) + "\n3,c\n");
    return csv;
  }

  @Test
  void aFieldLongerThanTheLimitExitsWith3AndNamesTheCliOption() throws Exception {
    assertThat(
            run(
                "csv",
                csv().toString(),
                "--out",
                dir.resolve("o").toString(),
                "--max-field-chars",
                "1024",
                "--no-progress"))
        .as(err.toString())
        .isEqualTo(Main.EXIT_BAD_INPUT);
    assertThat(err.toString())
        .contains("line 3")
        .contains("(1024 bytes)")
        .contains("raise it (the CLI's --max-field-chars");
  }

  @Test
  void theDefaultLimitTakesTheLongFieldAndARaisedOneToo() throws Exception {
    Path csv = csv();
    assertThat(run("csv", csv.toString(), "--out", dir.resolve("d").toString(), "--no-progress"))
        .as(err.toString())
        .isZero();
    assertThat(DuckDb.count(dir.resolve("d/long-00000.parquet"))).isEqualTo(3);
    assertThat(
            run(
                "csv",
                csv.toString(),
                "--out",
                dir.resolve("r").toString(),
                "--max-field-chars",
                "4096",
                "--no-progress"))
        .as(err.toString())
        .isZero();
    assertThat(
            DuckDb.scalar(
                "SELECT max(length(text)) FROM read_parquet("
                    + DuckDb.literal(dir.resolve("r/long-00000.parquet"))
                    + ")"))
        .isEqualTo(2000L);
  }

  @Test
  void aLimitBelowTheLeastIsAUsageErrorNamingTheOption() throws Exception {
    assertThat(
            run(
                "csv",
                csv().toString(),
                "--out",
                dir.resolve("o").toString(),
                "--max-field-chars",
                "100"))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("Invalid --max-field-chars 100: must be at least 1024")
        .doesNotContain("maxFieldChars");
  }
}
