package dev.parquetingest.cli;

import dev.parquetingest.csv.CsvSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The CSV input and how to read it, shared by {@code csv} and {@code schema}: one place that turns
 * the options into a {@link CsvSource.Builder}. {@code -} reads standard input.
 */
final class CsvInputOptions {
  /** The least {@code CsvSource.Builder.maxFieldChars} takes. */
  static final int MIN_MAX_FIELD_CHARS = 1024;

  @Parameters(
      index = "0",
      paramLabel = "<input.csv>",
      description =
          "The CSV file (UTF-8); '-' for standard input. A pipe, FIFO or standard input is"
              + " read once, with one worker.")
  Path input;

  @Option(
      names = "--delimiter",
      defaultValue = ",",
      paramLabel = "<char>",
      description = "Field delimiter (default '${DEFAULT-VALUE}'); \\t for tab.")
  String delimiter;

  @Option(
      names = "--quote",
      defaultValue = "\"",
      paramLabel = "<char>",
      description = "Quote character (default ${DEFAULT-VALUE}).")
  char quote;

  @Option(names = "--no-header", description = "The first line is data, not column names.")
  boolean noHeader;

  @Option(
      names = "--null-token",
      paramLabel = "<text>",
      description = "An unquoted value read as null (repeatable), e.g. NULL.")
  List<String> nullTokens = new ArrayList<>();

  @Option(
      names = "--inference-rows",
      paramLabel = "N",
      description =
          "Records sampled to infer the schema when none is given (default "
              + CsvSource.DEFAULT_INFERENCE_ROWS
              + ").")
  Integer inferenceRows;

  @Option(
      names = "--max-field-chars",
      paramLabel = "N",
      description =
          "The longest field accepted, in bytes, at least "
              + MIN_MAX_FIELD_CHARS
              + " (default "
              + CsvSource.DEFAULT_MAX_FIELD_CHARS
              + " = 16 MiB); a longer field (often a quote never closed) ends the run with"
              + " exit code "
              + Main.EXIT_BAD_INPUT
              + ".")
  Integer maxFieldChars;

  CsvSource.Builder builder() {
    CsvSource.Builder csv =
        input.toString().equals("-")
            ? CsvSource.builder("stdin", System.in)
            : CsvSource.builder(input);
    csv.header(!noHeader).quote(quote).delimiter(parseDelimiter(delimiter));
    if (!nullTokens.isEmpty()) {
      csv.nullTokens(nullTokens.toArray(new String[0]));
    }
    if (inferenceRows != null) {
      csv.inferenceRows(inferenceRows);
    }
    if (maxFieldChars != null) {
      if (maxFieldChars < MIN_MAX_FIELD_CHARS) {
        throw new IllegalArgumentException(
            "Invalid --max-field-chars "
                + maxFieldChars
                + ": must be at least "
                + MIN_MAX_FIELD_CHARS);
      }
      csv.maxFieldChars(maxFieldChars);
    }
    return csv;
  }

  private static char parseDelimiter(String text) {
    if (text.equals("\\t") || text.equalsIgnoreCase("tab")) {
      return '\t';
    }
    if (text.length() != 1) {
      throw new IllegalArgumentException(
          "Invalid --delimiter '" + text + "': must be one character, or \\t");
    }
    return text.charAt(0);
  }
}
