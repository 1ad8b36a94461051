package dev.parquetingest.cli;

import dev.parquetingest.datagen.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code generate reviews|logs}: deterministic sample data as CSV. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Writes deterministic sample data as CSV with a header: the same rows for the same seed.",
      "reviews: 12 columns, product reviews with long quoted bodies.",
      "logs: 52 columns, application logs."
    })
final class GenerateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "reviews|logs", description = "Which data set.")
  String dataset;

  @Option(names = "--rows", required = true, description = "Number of rows.")
  long rows;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "<file.csv>",
      description = "CSV file to write; refused if it exists, unless --replace.")
  Path out;

  @Option(names = "--replace", description = "Replace --out if it exists.")
  boolean replace;

  @Override
  public Integer call() throws Exception {
    Dataset d = Dataset.of(dataset);
    if (rows < 0) {
      throw new IllegalArgumentException("Invalid --rows " + rows + ": must not be negative");
    }
    if (out.toString().isBlank()) {
      throw new IllegalArgumentException("Invalid --out '': give the CSV file to write");
    }
    if (Files.exists(out) && !replace) {
      throw new IllegalArgumentException(
          "Cannot write " + out + ": it exists; add --replace to replace it");
    }
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    long start = System.nanoTime();
    d.writeCsv(out, rows, seed);
    double seconds = (System.nanoTime() - start) / 1e9;
    spec.commandLine()
        .getOut()
        .printf(
            "Wrote %,d %s rows (%s) to %s in %.1f s%n",
            rows, d.id(), Format.bytes(Files.size(out)), out, seconds);
    return 0;
  }
}
