package dev.parquetingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --version} names the version the run report names (VersionIT: also from the jar). */
class VersionTest {
  @TempDir Path dir;

  /** The {@code "version"} of a run report. */
  static String reportVersion(String reportJson) {
    Matcher m = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(reportJson);
    assertThat(m.find()).as("version in %s", reportJson).isTrue();
    return m.group(1);
  }

  @Test
  void versionIsTheOneTheRunReportNames() throws Exception {
    Path csv = dir.resolve("in.csv");
    Files.writeString(csv, "id\n1\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertThat(
            Main.run(
                new String[] {"csv", csv.toString(), "--out", dir.resolve("o").toString()},
                new PrintWriter(out),
                new PrintWriter(err)))
        .as(err.toString())
        .isZero();
    String version = reportVersion(Files.readString(dir.resolve("o/_in.report.json")));
    assertThat(version).as("the build's version").matches("\\d+\\.\\d+\\.\\d+.*");

    StringWriter versionOut = new StringWriter();
    assertThat(
            Main.run(new String[] {"--version"}, new PrintWriter(versionOut), new PrintWriter(err)))
        .isZero();
    assertThat(versionOut.toString().lines().findFirst()).hasValue("parquet-ingest " + version);
  }
}
