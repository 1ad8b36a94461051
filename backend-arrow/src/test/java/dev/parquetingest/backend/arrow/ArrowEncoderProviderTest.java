package dev.parquetingest.backend.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.internal.Encoders;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.spi.EncoderProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Finding the providers, their settings, the memory limit, and the JVM-flag check. */
class ArrowEncoderProviderTest {
  private static final Schema SCHEMA =
      Schema.builder()
          .required("id", ColumnType.int64())
          .optional("s", ColumnType.string())
          .build();

  @AfterEach
  void noArrowMemoryLeft() {
    assertThat(ArrowAllocators.allocatedBytes()).isZero();
    assertThat(ArrowAllocators.openChildren()).isZero();
  }

  @Test
  void bothProvidersAreFoundByName() {
    assertThat(Encoders.find("arrow")).isInstanceOf(ArrowEncoderProvider.class);
    assertThat(Encoders.find("auto")).isInstanceOf(AutoEncoderProvider.class);
    assertThat(Encoders.available()).containsKeys("arrow", "auto", "parquet-mr");
  }

  @Test
  void badPropertiesAreRejectedNamingPropertyAndValue() {
    EncoderProvider arrow = new ArrowEncoderProvider();
    assertThatThrownBy(() -> arrow.checkUsable(with(ArrowEncoderProvider.CHUNK_ROWS_PROPERTY, "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("arrow.chunk-rows '0'");
    assertThatThrownBy(
            () -> arrow.checkUsable(with(ArrowEncoderProvider.CHUNK_ROWS_PROPERTY, "ten")))
        .hasMessageContaining("arrow.chunk-rows 'ten'");
    assertThatThrownBy(
            () -> arrow.checkUsable(with(ArrowEncoderProvider.ALLOCATOR_PROPERTY, "jemalloc")))
        .hasMessageContaining("arrow.allocator 'jemalloc'")
        .hasMessageContaining("netty or unsafe");
    assertThatThrownBy(
            () -> arrow.checkUsable(with(ArrowEncoderProvider.MEMORY_LIMIT_PROPERTY, "lots")))
        .hasMessageContaining("arrow.memory-limit 'lots'");
    assertThatThrownBy(
            () ->
                arrow.open(
                    SCHEMA,
                    OutputStream.nullOutputStream(),
                    with(ArrowEncoderProvider.CHUNK_ROWS_PROPERTY, "-5")))
        .hasMessageContaining("arrow.chunk-rows '-5'");
  }

  @Test
  void detailsNameTheAllocatorChunkAndPeak() {
    for (String kind : List.of("netty", "unsafe")) {
      EncoderOptions options =
          EncoderOptions.builder()
              .property(ArrowEncoderProvider.ALLOCATOR_PROPERTY, kind)
              .property(ArrowEncoderProvider.CHUNK_ROWS_PROPERTY, "100")
              .build();
      try (Encoder encoder =
          new ArrowEncoderProvider().open(SCHEMA, OutputStream.nullOutputStream(), options)) {
        writeRows(encoder, 250, 10);
        assertThat(encoder.bufferedBytes()).isPositive();
        encoder.finish();
        assertThat(encoder.details())
            .containsEntry("arrow.allocator", kind)
            .containsEntry("arrow.chunk-rows", "100")
            .containsEntry("arrow.chunks", "3")
            .containsEntry("arrow.memory-limit", "none");
        assertThat(Long.parseLong(encoder.details().get("arrow.allocator.peak-bytes")))
            .isPositive();
      }
    }
  }

  @Test
  void aChunkBeyondTheMemoryLimitFailsTheFileAndReleasesEverything() {
    EncoderOptions options =
        EncoderOptions.builder()
            .property(ArrowEncoderProvider.MEMORY_LIMIT_PROPERTY, "256KB")
            .property(ArrowEncoderProvider.CHUNK_ROWS_PROPERTY, "1000")
            .build();
    Encoder encoder =
        new ArrowEncoderProvider().open(SCHEMA, OutputStream.nullOutputStream(), options);
    try {
      // 1,000 rows of 1KB strings need 1MB in one chunk
      assertThatThrownBy(() -> writeRows(encoder, 1000, 1024))
          .isInstanceOf(IngestException.class)
          .hasMessageContaining("arrow.memory-limit (256KB)")
          .hasMessageContaining("arrow.chunk-rows");
    } finally {
      encoder.close();
    }
    // small rows fit in the same limit
    try (Encoder small =
        new ArrowEncoderProvider().open(SCHEMA, OutputStream.nullOutputStream(), options)) {
      writeRows(small, 5000, 8);
      small.finish();
    }
  }

  @Test
  void autoChoosesByExpectedRowsPerFile() {
    AutoEncoderProvider auto = new AutoEncoderProvider();
    assertThat(auto.choose(EncoderOptions.defaults()).name()).isEqualTo("parquet-mr");
    assertThat(auto.choose(rows(AutoEncoderProvider.ARROW_FROM_ROWS - 1)).name())
        .isEqualTo("parquet-mr");
    assertThat(auto.choose(rows(AutoEncoderProvider.ARROW_FROM_ROWS)).name()).isEqualTo("arrow");
    try (Encoder e = auto.open(SCHEMA, OutputStream.nullOutputStream(), rows(10_000_000))) {
      writeRows(e, 10, 3);
      e.finish();
      assertThat(e.details()).containsEntry("auto.backend", "arrow").containsKey("arrow.allocator");
    }
    try (Encoder e = auto.open(SCHEMA, OutputStream.nullOutputStream(), rows(10))) {
      e.finish();
      assertThat(e.details()).containsEntry("auto.backend", "parquet-mr");
    }
  }

  @Test
  void withoutTheAddOpensFlagTheProviderNamesTheFlagToAdd() throws Exception {
    assertThat(JvmAccess.missingFlag()).as("this test JVM has the flag").isNull();

    Probe without = probe(List.of());
    assertThat(without.exitCode).as(without.output).isEqualTo(3);
    assertThat(without.output)
        .contains("Cannot use the arrow encoder")
        .contains("--add-opens=java.base/java.nio=ALL-UNNAMED");

    Probe with = probe(List.of("--add-opens=java.base/java.nio=ALL-UNNAMED"));
    assertThat(with.exitCode).as(with.output).isZero();
    assertThat(with.output).contains("usable");
  }

  private static final class Probe {
    final int exitCode;
    final String output;

    Probe(int exitCode, String output) {
      this.exitCode = exitCode;
      this.output = output;
    }
  }

  /** Runs {@link CheckUsableProbe} in a fresh JVM with only {@code flags}. */
  private static Probe probe(List<String> flags) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(flags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(CheckUsableProbe.class.getName());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("probe did not finish: " + out);
    }
    return new Probe(p.exitValue(), out);
  }

  private static void writeRows(Encoder encoder, int rows, int stringLength) {
    MutableRow row = new MutableRow(SCHEMA);
    String s = "x".repeat(stringLength);
    for (int i = 0; i < rows; i++) {
      row.setLong(0, i);
      row.setString(1, s);
      encoder.write(row);
    }
  }

  private static EncoderOptions with(String property, String value) {
    return EncoderOptions.builder().property(property, value).build();
  }

  private static EncoderOptions rows(long n) {
    return EncoderOptions.builder().expectedRowsPerFile(n).build();
  }
}
