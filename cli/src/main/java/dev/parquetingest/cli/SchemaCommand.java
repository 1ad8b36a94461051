package dev.parquetingest.cli;

import dev.parquetingest.csv.CsvSource;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code schema <input.csv>}: prints the inferred schema in the schema-file format. */
@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Prints the schema inferred from a CSV file, in the format --schema reads:"
          + " one column per line, 'name: type [not null]'. Edit it (narrower types, not null)"
          + " and pass it back with 'csv --schema <file>'."
    })
final class SchemaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin CsvInputOptions csv;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (CsvSource source = csv.builder().build()) {
      out.print(source.open());
    }
    out.flush();
    return 0;
  }
}
