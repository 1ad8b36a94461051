package dev.parquetingest.backend.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.IngestHandle;
import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.common.DataSize;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.testing.DuckDb;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files of the arrow backend rolled on size land within ±5 % of the target: its {@code
 * estimatedFileSize()} (compressed pages held, open pages at each column's ratio so far,
 * dictionaries, the chunk not yet encoded) is what the batcher compares with the target.
 */
class ArrowSizeRollTest {
  private static final Schema LOGS =
      Schema.parse(
          String.join(
              "\n",
              "at: timestamp(millis) not null",
              "level: string not null",
              "service: string not null",
              "host: string not null",
              "status: int32",
              "latency_ms: double",
              "bytes: int64",
              "user: string",
              "message: string"));
  private static final String[] LEVELS = {"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};

  @Test
  void sizeRolledFilesAreWithinFivePercentOfTheTarget(@TempDir Path dir) {
    long target = DataSize.ofMegabytes(12).toBytes();
    IngestHandle h =
        ParquetIngest.builder()
            .push(LOGS)
            .encoder(ArrowEncoderProvider.NAME)
            .outputDirectory(dir)
            .targetFileSize(DataSize.ofBytes(target))
            .start();
    SplittableRandom random = new SplittableRandom(7);
    MutableRow row = new MutableRow(LOGS);
    long i = 0;
    while (parquetFiles(dir).size() < 3) {
      for (int k = 0; k < 10_000; k++) {
        row.setLong(0, 1_790_000_000_000L + i * 7 + random.nextInt(5));
        row.setString(1, LEVELS[random.nextInt(LEVELS.length)]);
        row.setString(2, "service-" + random.nextInt(24));
        row.setString(3, "host-" + random.nextInt(200) + ".eu-west-1.internal");
        row.setInt(4, random.nextInt(10) == 0 ? 500 : 200);
        row.setDouble(5, Math.round(random.nextDouble() * 250_000) / 1000.0);
        row.setLong(6, random.nextInt(1 << 20));
        if (random.nextInt(4) == 0) {
          row.setNull(7);
        } else {
          row.setString(7, "user-" + random.nextInt(50_000));
        }
        row.setString(
            8,
            "GET /api/v1/items/"
                + random.nextInt(100_000)
                + " returned "
                + (200 + random.nextInt(3))
                + " in "
                + random.nextInt(1000)
                + " ms");
        h.offer(row);
        i++;
      }
    }
    IngestReport report = h.stop(Duration.ofSeconds(60));
    List<Path> files = parquetFiles(dir);
    assertThat(report.rowsWritten()).isEqualTo(i);
    assertThat(DuckDb.scalar("SELECT count(*) FROM read_parquet(" + DuckDb.literal(files) + ")"))
        .isEqualTo(i);
    for (Path f : files.subList(0, files.size() - 1)) {
      assertThat((double) size(f))
          .as("%s: %d bytes for a target of %d", f.getFileName(), size(f), target)
          .isBetween(target * 0.95, target * 1.05);
    }
    assertThat(ArrowAllocators.allocatedBytes()).as("Arrow bytes left allocated").isZero();
  }

  private static long size(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> parquetFiles(Path dir) {
    try (var s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
