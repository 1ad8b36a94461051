package dev.parquetingest.datagen;

import dev.parquetingest.schema.Schema;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Deterministic sample data sets, written as RFC 4180 CSV with a header: the same rows for the same
 * seed and row count, on every machine. Used by the CLI's {@code generate} command, tests and
 * benchmarks. Thread-safe: every call makes its own random generator.
 */
public enum Dataset {
  /**
   * Product reviews, 12 columns: ids, marketplace, category, rating, votes, a verified flag, a
   * date, a title and a body of 50 to 1,000 characters with commas, doubled quotes and some quoted
   * newlines.
   */
  REVIEWS {
    @Override
    public Schema schema() {
      return ReviewsGenerator.SCHEMA;
    }

    @Override
    RowWriter writer(SplittableRandom random) {
      return new ReviewsGenerator(random);
    }
  },
  /**
   * Application logs, 52 columns: timestamps, levels, services, hosts, pods, trace and span ids,
   * HTTP method, path and status, latencies, user agents, many low-cardinality strings, a few
   * numbers and booleans.
   */
  LOGS {
    @Override
    public Schema schema() {
      return LogsGenerator.SCHEMA;
    }

    @Override
    RowWriter writer(SplittableRandom random) {
      return new LogsGenerator(random);
    }
  };

  /** The schema of the generated columns, in CSV column order. */
  public abstract Schema schema();

  abstract RowWriter writer(SplittableRandom random);

  /** The name used on the command line. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code reviews} or {@code logs}. */
  public static Dataset of(String id) {
    for (Dataset d : values()) {
      if (d.id().equals(id)) {
        return d;
      }
    }
    throw new IllegalArgumentException("Unknown dataset '" + id + "': use reviews or logs");
  }

  /** Writes the header and {@code rows} rows to {@code out}, replacing it. */
  public void writeCsv(Path out, long rows, long seed) {
    try (Writer w =
        new BufferedWriter(
            new OutputStreamWriter(Files.newOutputStream(out), StandardCharsets.UTF_8), 1 << 16)) {
      writeCsv(w, rows, seed);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + out, e);
    }
  }

  /** Writes the header and {@code rows} rows to {@code out}; does not close it. */
  public void writeCsv(Writer out, long rows, long seed) throws IOException {
    if (rows < 0) {
      throw new IllegalArgumentException("Invalid rows " + rows + ": must not be negative");
    }
    Schema schema = schema();
    StringBuilder line = new StringBuilder(2048);
    for (int i = 0; i < schema.size(); i++) {
      if (i > 0) {
        line.append(',');
      }
      line.append(schema.field(i).name());
    }
    line.append("\r\n");
    out.append(line);
    RowWriter writer = writer(new SplittableRandom(seed));
    for (long r = 0; r < rows; r++) {
      line.setLength(0);
      writer.append(r, line);
      line.append("\r\n");
      out.append(line);
    }
  }

  /** Appends one CSV record (without line end) for row number {@code index}. */
  interface RowWriter {
    void append(long index, StringBuilder line);
  }
}
