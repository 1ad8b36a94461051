package dev.parquetingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar's {@code --version}, manifest and run report name one version. */
class VersionIT {
  @TempDir Path dir;

  private static Path jar() {
    Path jar = Path.of("target", "parquet-ingest.jar").toAbsolutePath();
    assertThat(jar).exists();
    return jar;
  }

  /** Runs {@code java -jar parquet-ingest.jar args}, checks it exits 0, returns its stdout. */
  private String succeed(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    Path stdout = dir.resolve("stdout");
    Path stderr = dir.resolve("stderr");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue())
        .as("exit code of %s; stderr: %s", command, Files.readString(stderr))
        .isZero();
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  @Test
  void versionManifestAndRunReportAgree() throws Exception {
    String manifestVersion;
    try (JarFile jar = new JarFile(jar().toFile())) {
      manifestVersion =
          jar.getManifest().getMainAttributes().getValue(Attributes.Name.IMPLEMENTATION_VERSION);
    }
    assertThat(manifestVersion).as("Implementation-Version").matches("\\d+\\.\\d+\\.\\d+.*");

    Path csv = dir.resolve("in.csv");
    Files.writeString(csv, "id\n1\n");
    succeed("csv", csv.toString(), "--out", dir.resolve("o").toString());
    String reportVersion =
        VersionTest.reportVersion(Files.readString(dir.resolve("o/_in.report.json")));
    assertThat(reportVersion).isEqualTo(manifestVersion);

    assertThat(succeed("--version").lines().findFirst())
        .hasValue("parquet-ingest " + manifestVersion);
  }
}
