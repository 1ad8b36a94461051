package dev.parquetingest.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.IngestHandle;
import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.common.DataSize;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.testing.DuckDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files rolled on size land within ±5 % of the target, for log-like rows pushed through the push
 * API and encoded by the real parquet-mr backend.
 */
class SizeRollTest {
  static final Schema LOGS =
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
  static final String[] LEVELS = {"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};
  static final String[] TEMPLATES = {
    "GET /api/v1/items/%d returned %d in %d ms",
    "user %d logged in from 10.%d.%d.1",
    "cache miss for key item:%d (shard %d, attempt %d)",
    "payment %d authorised for order %d after %d retries",
  };

  /** Fills one log line, derived from its number and a seeded random, into the row. */
  static void logRow(long i, SplittableRandom r, MutableRow row) {
    row.setLong(0, 1_790_000_000_000L + i * 7 + r.nextInt(5));
    row.setString(1, LEVELS[r.nextInt(LEVELS.length)]);
    row.setString(2, "service-" + r.nextInt(24));
    row.setString(3, "host-" + r.nextInt(200) + ".eu-west-1.internal");
    row.setInt(4, r.nextInt(10) == 0 ? 500 : 200);
    row.setDouble(5, Math.round(r.nextDouble() * 250_000) / 1000.0);
    row.setLong(6, r.nextInt(1 << 20));
    if (r.nextInt(4) == 0) {
      row.setNull(7);
    } else {
      row.setString(7, "user-" + r.nextInt(50_000));
    }
    String t = TEMPLATES[r.nextInt(TEMPLATES.length)];
    row.setString(8, String.format(t, r.nextInt(100_000), r.nextInt(256), r.nextInt(1000)));
  }

  @Test
  void sizeRolledFilesAreWithinFivePercentOfTheTarget(@TempDir Path dir) throws IOException {
    long target = DataSize.ofMegabytes(16).toBytes();
    IngestHandle h =
        ParquetIngest.builder()
            .push(LOGS)
            .outputDirectory(dir)
            .targetFileSize(DataSize.ofBytes(target))
            .start();
    SplittableRandom random = new SplittableRandom(42);
    MutableRow row = new MutableRow(LOGS);
    long i = 0;
    while (parquetFiles(dir).size() < 3) {
      for (int k = 0; k < 10_000; k++) {
        logRow(i++, random, row);
        h.offer(row);
      }
    }
    IngestReport report = h.stop(java.time.Duration.ofSeconds(60));
    List<Path> files = parquetFiles(dir);
    System.out.printf(
        "size roll: %d rows in %d files, %.0f rows/s, peak heap %d MB, peak RSS %d MB%n",
        report.rowsWritten(),
        files.size(),
        report.rowsPerSecond(),
        report.peakHeapBytes() >> 20,
        report.peakRssBytes() >> 20);
    assertThat(report.rowsWritten()).isEqualTo(i);
    assertThat(DuckDb.scalar("SELECT count(*) FROM read_parquet(" + DuckDb.literal(files) + ")"))
        .isEqualTo(i);
    // every file rolled on size (all but the last, which the stop finished early)
    for (Path f : files.subList(0, files.size() - 1)) {
      long size = Files.size(f);
      System.out.printf(
          "%s: %d bytes, %.2f %% of the target%n", f.getFileName(), size, 100.0 * size / target);
      assertThat((double) size)
          .as(f.getFileName().toString())
          .isBetween(target * 0.95, target * 1.05);
    }
  }

  static List<Path> parquetFiles(Path dir) {
    try (var s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
