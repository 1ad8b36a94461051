package dev.parquetingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.ParquetIngest;
import dev.parquetingest.Sinks;
import dev.parquetingest.common.IngestException;
import dev.parquetingest.datagen.Dataset;
import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.StagedOutput;
import dev.parquetingest.testing.DuckDb;
import dev.parquetingest.testing.ForwardingSink;
import dev.parquetingest.testing.JsonNumbers;
import dev.parquetingest.testing.SameRows;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills during a run (docs/delivery.md, "Reruns"): the message names the file that
 * could not be written, no partial file is visible, the report counts only committed rows as
 * written and the aborted ones as aborted, and {@code resume} afterwards completes the output with
 * every record exactly once (DuckDB).
 *
 * <p>Mounting a small tmpfs needs root, which CI does not have; instead {@link FillingDisk} models
 * a disk of a given capacity over the local directory sink (committed and staged bytes use space,
 * an abort frees it), and a write past the capacity goes to {@code /dev/full}, so the exception is
 * the operating system's own {@code IOException: No space left on device}.
 */
class FullDiskIT {
  private static final int ROWS = 8_000;

  @TempDir Path dir;

  @Test
  void aFullDiskNamesTheFileKeepsOnlyWholeFilesCountsHonestlyAndResumeCompletes()
      throws IOException {
    Path csv = dir.resolve("logs.csv");
    Dataset.LOGS.writeCsv(csv, ROWS, 11);
    Path out = dir.resolve("out");
    Path reference = dir.resolve("ref");
    ParquetIngest.builder().source(source(csv)).outputDirectory(reference).run();
    long fileBytes;
    try (Stream<Path> s = Files.list(reference)) {
      fileBytes =
          s.filter(p -> p.toString().endsWith(".parquet"))
              .mapToLong(p -> p.toFile().length())
              .sum();
    }
    // room for about a third of the data: some files commit, then a write fails
    FillingDisk disk = new FillingDisk(Sinks.localDirectory(out), fileBytes / 3);

    assertThatThrownBy(
            () ->
                ParquetIngest.builder()
                    .source(source(csv))
                    .sink(disk)
                    .workers(2)
                    .maxRowsPerFile(500)
                    .run())
        .isInstanceOf(IngestException.class)
        .hasMessageContaining("No space left on device")
        .hasMessageMatching(
            "(?s).*" + Pattern.quote(out.toString()) + "/logs-\\d{3}-\\d{5}\\.parquet.*");
    assertThat(disk.failedWrites.get()).isPositive();

    List<Path> kept = dataFiles(out);
    assertThat(kept).isNotEmpty();
    assertThat(names(out)).noneMatch(n -> n.endsWith(".inprogress"));
    long committedRows = DuckDb.count(out.resolve("*.parquet"));
    String report = Files.readString(out.resolve("_logs.report.json"));
    assertThat(report).containsPattern("\"status\":\\s*\"failed\"");
    assertThat(JsonNumbers.number(report, "rowsWritten")).as(report).isEqualTo(committedRows);
    assertThat(JsonNumbers.number(report, "rowsAborted")).as(report).isPositive();
    assertThat(committedRows).isLessThan(ROWS);
    String manifest = Files.readString(out.resolve("_logs.manifest.jsonl"));
    assertThat(manifest.lines().count()).isEqualTo(kept.size());

    // space again: resume reads only what the kept files do not hold
    ParquetIngest.builder()
        .source(source(csv))
        .outputDirectory(out)
        .workers(2)
        .maxRowsPerFile(500)
        .resume(true)
        .run();
    SameRows.assertSameRows(dataFiles(out), reference.resolve("*.parquet"), ROWS);
    assertThat(names(out)).noneMatch(n -> n.endsWith(".inprogress"));
  }

  private static CsvSource source(Path csv) {
    return CsvSource.builder(csv).schema(Dataset.LOGS.schema()).minPartBytes(1024).build();
  }

  private static List<Path> dataFiles(Path out) throws IOException {
    try (Stream<Path> s = Files.list(out)) {
      return s.filter(p -> p.getFileName().toString().matches("logs-.*\\.parquet"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static List<String> names(Path out) throws IOException {
    try (Stream<Path> s = Files.list(out)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  /**
   * A disk of {@code capacity} bytes over another sink: each staged file's bytes take space as they
   * are written, keep it when committed and free it when aborted or deleted; a write that does not
   * fit goes to {@code /dev/full}, whose write fails with the system's "No space left on device".
   * Thread-safe.
   */
  static final class FillingDisk extends ForwardingSink {
    private final long capacity;
    private final AtomicLong used = new AtomicLong();
    private final Map<String, Long> committed = new ConcurrentHashMap<>();
    final AtomicLong failedWrites = new AtomicLong();

    FillingDisk(Sink sink, long capacity) {
      super(sink);
      this.capacity = capacity;
    }

    @Override
    protected StagedOutput staged(String name, StagedOutput out) {
      AtomicLong mine = new AtomicLong();
      OutputStream counting =
          new FilterOutputStream(out.stream()) {
            @Override
            public void write(int b) throws IOException {
              write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              if (used.addAndGet(len) > capacity) {
                used.addAndGet(-len);
                failedWrites.incrementAndGet();
                fullDevice(b, off, len);
              }
              mine.addAndGet(len);
              out.write(b, off, len);
            }
          };
      return new ForwardingStagedOutput(out) {
        @Override
        public OutputStream stream() {
          return counting;
        }

        @Override
        public void commit() {
          out.commit();
          committed.put(name, mine.get());
        }

        @Override
        public void abort() {
          out.abort();
          used.addAndGet(-mine.getAndSet(0));
        }
      };
    }

    private static void fullDevice(byte[] b, int off, int len) throws IOException {
      Path full = Path.of("/dev/full");
      if (!Files.exists(full)) {
        throw new IOException("No space left on device");
      }
      try (FileChannel ch = FileChannel.open(full, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
      }
      throw new AssertionError("/dev/full accepted a write");
    }

    @Override
    public void delete(String name) {
      sink.delete(name);
      Long size = committed.remove(name);
      if (size != null) {
        used.addAndGet(-size);
      }
    }
  }
}
