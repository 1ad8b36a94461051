package dev.parquetingest.jmh;

import dev.parquetingest.csv.CsvSource;
import dev.parquetingest.datagen.Dataset;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The benchmarks' input: a generated data set written as CSV by {@link Dataset#writeCsv} and read
 * back through {@link CsvSource} into an {@link InputTable}, as an ingestion run would read it. The
 * CSV files are kept in a cache directory (system property {@value #DIRECTORY_PROPERTY}, default
 * {@code parquet-ingest-jmh} under {@code java.io.tmpdir}) so that each forked JVM does not
 * generate them again; the generator is deterministic, so a cached file is the same file.
 * Thread-safe (the cache is written through an atomic rename).
 */
final class InputData {
  /** System property: where generated CSV files are cached. */
  static final String DIRECTORY_PROPERTY = "parquetingest.jmh.data";

  /** The seed of every generated data set, so that every run encodes the same rows. */
  static final long SEED = 20_261_121L;

  private InputData() {}

  /**
   * The first {@code rows} rows of {@code dataset} (seed {@value #SEED}).
   *
   * @throws UncheckedIOException if the cache directory cannot be written
   */
  static InputTable load(Dataset dataset, int rows) {
    if (rows < 1) {
      throw new IllegalArgumentException("Invalid rows " + rows + ": must be positive");
    }
    Path csv = csvFile(dataset, rows);
    Schema schema = dataset.schema();
    InputTable.Builder table = InputTable.builder(schema, rows);
    try (CsvSource source = CsvSource.builder(csv).schema(schema).header(true).build()) {
      source.open();
      MutableRow row = new MutableRow(schema);
      for (int r = 0; r < rows; r++) {
        if (!source.next(row)) {
          throw new IllegalStateException(
              "Cannot load " + rows + " rows of " + dataset.id() + ": " + csv + " holds " + r);
        }
        table.add(row);
      }
    }
    return table.build();
  }

  /** The cached CSV file of the first {@code rows} rows of {@code dataset}, written if missing. */
  static Path csvFile(Dataset dataset, int rows) {
    Path dir = Path.of(System.getProperty(DIRECTORY_PROPERTY, defaultDirectory()));
    Path file = dir.resolve(dataset.id() + "-" + rows + "-seed" + SEED + ".csv");
    if (Files.isRegularFile(file)) {
      return file;
    }
    try {
      Files.createDirectories(dir);
      Path partial = Files.createTempFile(dir, file.getFileName().toString(), ".partial");
      try {
        dataset.writeCsv(partial, rows, SEED);
        try {
          Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(partial);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the benchmark input " + file, e);
    }
    return file;
  }

  private static String defaultDirectory() {
    return Path.of(System.getProperty("java.io.tmpdir"), "parquet-ingest-jmh").toString();
  }
}
