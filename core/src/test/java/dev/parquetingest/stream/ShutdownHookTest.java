package dev.parquetingest.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.IngestHandle;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.testing.LinesEncoderProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stopOnShutdown}: a child JVM pushes rows and exits without stopping the pipeline; the
 * shutdown hook drains and commits them.
 */
class ShutdownHookTest {
  static final int ROWS = 5_000;

  /** The child: starts a push pipeline with the hook, offers the rows, exits at once. */
  public static void main(String[] args) {
    IngestHandle h =
        ParquetIngest.builder()
            .push(QueueSource.SCHEMA)
            .encoder(new LinesEncoderProvider())
            .outputDirectory(Path.of(args[0]))
            .maxRowsPerFile(2_000)
            .stopOnShutdown(Duration.ofSeconds(20))
            .start();
    MutableRow row = new MutableRow(QueueSource.SCHEMA);
    for (long i = 0; i < ROWS; i++) {
      row.setLong(0, i);
      h.offer(row);
    }
    System.exit(0); // no stop(): only the hook can commit the rest
  }

  @Test
  void theHookCommitsEveryAcceptedRowWhenTheJvmExits(@TempDir Path dir) throws Exception {
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ShutdownHookTest.class.getName(),
                dir.toString())
            .inheritIO()
            .start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exited").isTrue();
    assertThat(child.exitValue()).isZero();

    List<Long> ids = TestSinks.committedIds(dir);
    assertThat(ids).containsExactlyElementsOf(LongStream.range(0, ROWS).boxed().toList());
    assertThat(TestSinks.dataFiles(dir)).hasSize(3);
  }
}
