package dev.parquetingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.testing.DuckDb;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that fails before reading because its JVM lacks a flag leaves nothing that blocks the
 * corrected rerun (docs/delivery.md, "Reruns"): the arrow backend in a JVM started without {@code
 * --add-opens}, then the same conversion through the launcher, into the same directory.
 */
class FailedStartIT {
  @TempDir Path dir;

  @Test
  void arrowWithoutItsJvmFlagFailsNamingItAndLeavesNothingThatBlocksTheRerun() throws Exception {
    ChildJvm jvm = new ChildJvm(dir);
    Path csv = dir.resolve("reviews.csv");
    assertThat(jvm.exec("generate", "reviews", "--rows", "2000", "--seed", "6", "--out", "" + csv))
        .isZero();
    Path out = dir.resolve("out");
    String[] args = {"csv", csv.toString(), "--out", out.toString(), "--backend", "arrow"};

    int code = ChildJvm.exitCode(jvm.bareJava(args).start());

    assertThat(code).as(jvm.stderr()).isNotZero();
    assertThat(jvm.stderr())
        .contains("Cannot use the arrow encoder")
        .contains("--add-opens=java.base/java.nio=ALL-UNNAMED");
    assertThat(ChildJvm.names(out)).isEmpty();

    assertThat(jvm.exec(args)).as(jvm.stderr()).isZero();
    assertThat(DuckDb.count(out.resolve("*.parquet"))).isEqualTo(2000);
  }
}
