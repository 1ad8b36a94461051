package dev.parquetingest.cli;

import dev.parquetingest.ParquetIngest;
import dev.parquetingest.ParquetIngestBuilder;
import dev.parquetingest.common.DataSize;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.spi.EncoderProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Option;

/**
 * How the files are encoded and how much memory the open ones may hold, shared by {@code csv},
 * {@code kafka} and {@code sqs}. Not thread-safe (picocli fills it, one command uses it).
 */
final class EncodingOptions {
  // arrow, not the library's DEFAULT_ENCODER: faster at every file size measured
  // (docs/benchmarks.md), and bin/parquet-ingest starts the JVM with the --add-opens flag it needs
  @Option(
      names = "--backend",
      defaultValue = "arrow",
      description = "Encoder backend: parquet-mr, arrow or auto (default ${DEFAULT-VALUE}).")
  String backend;

  @Option(
      names = "--compression-level",
      defaultValue = "" + EncoderOptions.DEFAULT_COMPRESSION_LEVEL,
      paramLabel = "N",
      description = "ZSTD level 1..22 (default ${DEFAULT-VALUE}).")
  int compressionLevel;

  @Option(
      names = "--row-group-size",
      converter = CsvCommand.SizeConverter.class,
      paramLabel = "<size>",
      description =
          "Parquet row-group size (default: 128MB, or less so that one row group per"
              + " worker fits a third of the memory budget).")
  DataSize rowGroupSize;

  @Option(
      names = "--page-size",
      defaultValue = "1MB",
      converter = CsvCommand.SizeConverter.class,
      paramLabel = "<size>",
      description = "Parquet page size (default ${DEFAULT-VALUE}).")
  DataSize pageSize;

  @Option(
      names = "--memory-budget",
      converter = CsvCommand.SizeConverter.class,
      paramLabel = "<size>",
      description =
          "Most memory all open files may hold together before the largest is finished early"
              + " (default: "
              + CsvCommand.DEFAULT_MEMORY_BUDGET_PERCENT
              + "%% of the maximum heap).")
  DataSize memoryBudget;

  @Option(
      names = "--max-open-files",
      paramLabel = "N",
      description =
          "Most files open at once across workers and partitions; when one more is needed, the"
              + " least recently written is finished first (default: "
              + ParquetIngest.DEFAULT_MAX_OPEN_FILES
              + ").")
  Integer maxOpenFiles;

  @Option(
      names = "--arrow-chunk-rows",
      paramLabel = "N",
      description = "arrow backend: rows per Arrow chunk.")
  Integer arrowChunkRows;

  @Option(
      names = "--arrow-allocator",
      paramLabel = "netty|unsafe",
      description = "arrow backend: allocation manager.")
  String arrowAllocator;

  @Option(
      names = "--encoder-property",
      paramLabel = "key=value",
      description = "A backend-specific setting (repeatable).")
  Map<String, String> encoderProperties = new LinkedHashMap<>();

  /**
   * Checks what the library would refuse in its own words, so that messages name the CLI's options
   * and limits rather than the builder's.
   *
   * @throws IllegalArgumentException naming the option
   */
  void check() {
    if (compressionLevel < 1 || compressionLevel > 22) {
      throw new IllegalArgumentException(
          "Invalid --compression-level " + compressionLevel + ": must be from 1 to 22");
    }
    Set<String> backends = new TreeSet<>();
    for (EncoderProvider p :
        ServiceLoader.load(EncoderProvider.class, EncodingOptions.class.getClassLoader())) {
      backends.add(p.name());
    }
    if (!backends.contains(backend)) {
      throw new IllegalArgumentException(
          "Invalid --backend '" + backend + "': use " + String.join(", ", backends));
    }
  }

  /** Sets the encoder, layout and memory options; {@code workers}: the most workers running. */
  void apply(ParquetIngestBuilder ingest, int workers) {
    ingest
        .encoder(backend)
        .compressionLevel(compressionLevel)
        .rowGroupSize(
            rowGroupSize != null
                ? rowGroupSize
                : CsvCommand.defaultRowGroupSize(workers, memoryBudget))
        .pageSize(pageSize);
    ingest.memoryBudget(memoryBudget != null ? memoryBudget : CsvCommand.defaultMemoryBudget());
    if (maxOpenFiles != null) {
      ingest.maxOpenFiles(maxOpenFiles);
    }
    if (arrowChunkRows != null) {
      ingest.encoderProperty("arrow.chunk-rows", String.valueOf(arrowChunkRows));
    }
    if (arrowAllocator != null) {
      ingest.encoderProperty("arrow.allocator", arrowAllocator);
    }
    encoderProperties.forEach(ingest::encoderProperty);
  }
}
