package dev.parquetingest.jmh;

import dev.parquetingest.csv.CsvSource;
import dev.parquetingest.datagen.Dataset;
import dev.parquetingest.jmh.baseline.OldCsvReader;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a CSV file into the reused row, nothing encoded: one operation reads every record of the
 * first {@link Input#rows} rows of a generated data set (reviews: 12 columns with long quoted
 * bodies; logs: 52 short columns), with the schema given.
 *
 * <p>{@link Input#reader}: {@code bytes}, source-csv's {@link CsvSource} (the byte tokenizer);
 * {@code fastcsv}, the reader before it ({@link OldCsvReader}: FastCSV over a UTF-8 decoding
 * reader, fields decoded from {@code char[]}), the baseline. The secondary results {@code rows} and
 * {@code bytes} are rows and CSV bytes per second; the primary score is files per second. One
 * thread, and the fork sees one processor ({@code -XX:ActiveProcessorCount=1}); pin it with {@code
 * taskset -c N} for one core. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is bytes
 * allocated per file, so per row it is that over {@link Input#rows}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-XX:ActiveProcessorCount=1")
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class CsvReadBenchmark {
  /** The file, read once per trial into the page cache by the generator. */
  @State(Scope.Benchmark)
  public static class Input {
    @Param({"reviews", "logs"})
    public String dataset;

    @Param({"bytes", "fastcsv"})
    public String reader;

    @Param({"100000"})
    public int rows;

    Path file;
    Schema schema;
    long size;

    @Setup(Level.Trial)
    public void setUp() {
      Dataset d = Dataset.of(dataset);
      file = InputData.csvFile(d, rows);
      schema = d.schema();
      try {
        size = Files.size(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (!reader.equals("bytes") && !reader.equals("fastcsv")) {
        throw new IllegalArgumentException("Unknown reader '" + reader + "': bytes or fastcsv");
      }
    }
  }

  /** Rows and bytes read, reported per second next to the score. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    public long rows;
    public long bytes;

    @Setup(Level.Iteration)
    public void reset() {
      rows = 0;
      bytes = 0;
    }
  }

  /** Reads the whole file; returns the rows read. */
  @Benchmark
  public long read(Input in, Counters counters) throws IOException {
    MutableRow row = new MutableRow(in.schema);
    long n = 0;
    if (in.reader.equals("bytes")) {
      try (CsvSource source = CsvSource.builder(in.file).schema(in.schema).build()) {
        source.open();
        while (source.next(row)) {
          n++;
        }
      }
    } else {
      try (OldCsvReader old = new OldCsvReader(in.file, in.schema, row)) {
        while (old.next()) {
          n++;
        }
      }
    }
    if (n != in.rows) {
      throw new IllegalStateException("Read " + n + " rows of " + in.rows);
    }
    counters.rows += n;
    counters.bytes += in.size;
    return n;
  }
}
