package dev.parquetingest.examples;

import dev.parquetingest.BadRecordPolicy;
import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.common.DataSize;
import dev.parquetingest.csv.CsvSource;
import dev.parquetingest.datagen.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Converts a CSV file to Parquet with an inferred schema, rejecting bad records instead of failing.
 * Run with {@code <input.csv> <output dir>}, or with no arguments to generate 100,000 sample
 * reviews into a temporary directory first.
 */
public final class CsvToParquetExample {
  private CsvToParquetExample() {}

  public static void main(String[] args) throws Exception {
    Path input;
    Path output;
    if (args.length == 2) {
      input = Path.of(args[0]);
      output = Path.of(args[1]);
    } else {
      Path dir = Files.createTempDirectory("parquet-ingest-example");
      input = dir.resolve("reviews.csv");
      output = dir.resolve("out");
      Dataset.REVIEWS.writeCsv(input, 100_000, 1);
    }
    IngestReport report = convert(input, output);
    System.out.printf(
        "%d rows in %d files (%d bytes) under %s; %d rejected%n",
        report.rowsWritten(),
        report.files().size(),
        report.bytesOut(),
        output,
        report.rowsRejected());
  }

  /** The example itself. */
  public static IngestReport convert(Path input, Path output) {
    return ParquetIngest.builder()
        .source(CsvSource.builder(input).build())
        .outputDirectory(output)
        .targetFileSize(DataSize.ofMegabytes(64))
        .onBadRecord(BadRecordPolicy.REJECT)
        .run();
  }
}
