package dev.parquetingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The CLI in a child JVM, as the signal and crash tests run it: {@code bin/parquet-ingest} on the
 * packaged jar with a 256 MB heap, its standard output and error in files of a directory (each run
 * replacing the last one's), and the waits and signals around it. Not thread-safe.
 */
final class ChildJvm {
  private final Path dir;

  /**
   * @param dir where {@code stdout} and {@code stderr} of each run go
   */
  ChildJvm(Path dir) {
    this.dir = dir;
  }

  private static Path launcher() {
    return Path.of("..", "bin", "parquet-ingest").toAbsolutePath().normalize();
  }

  /** The command for {@code parquet-ingest args…}, to change its environment before starting. */
  ProcessBuilder command(String... args) {
    List<String> command = new ArrayList<>();
    command.add(launcher().toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment()
        .put(
            "PARQUET_INGEST_JAR",
            Path.of("target", "parquet-ingest.jar").toAbsolutePath().toString());
    pb.environment().put("PARQUET_INGEST_HEAP", "256m");
    pb.redirectOutput(dir.resolve("stdout").toFile()).redirectError(dir.resolve("stderr").toFile());
    return pb;
  }

  /**
   * The command for {@code java -cp parquet-ingest.jar …Main args…}: the jar run by a bare JVM,
   * without the launcher's flags nor its manifest's ({@code Add-Opens}).
   */
  ProcessBuilder bareJava(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(Path.of("target", "parquet-ingest.jar").toAbsolutePath().toString());
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectOutput(dir.resolve("stdout").toFile())
        .redirectError(dir.resolve("stderr").toFile());
  }

  /** Starts {@code parquet-ingest args…}. */
  Process start(String... args) throws IOException {
    return command(args).start();
  }

  /** Runs {@code parquet-ingest args…} to its end (at most 120 s); returns its exit code. */
  int exec(String... args) throws IOException, InterruptedException {
    return exitCode(command(args).start());
  }

  /** Waits at most 120 s for the process to end; returns its exit code. */
  static int exitCode(Process p) throws InterruptedException {
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  /** The last run's standard error. */
  String stderr() throws IOException {
    return Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8);
  }

  /**
   * Polls {@code condition} every {@code pollMillis} until it holds, while the process lives, for
   * at most {@code seconds}; fails naming {@code what} and the process's standard error if it does
   * not.
   */
  void await(Process p, String what, long seconds, long pollMillis, Callable<Boolean> condition)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline && p.isAlive()) {
      if (condition.call()) {
        return;
      }
      Thread.sleep(pollMillis);
    }
    if (!condition.call()) {
      throw new AssertionError(what + " did not happen; alive " + p.isAlive() + ": " + stderr());
    }
  }

  /** Waits until the running conversion has committed a data file into {@code out}. */
  void awaitFirstCommit(Process p, Path out) throws Exception {
    await(
        p,
        "a data file committed",
        60,
        20,
        () -> names(out).stream().anyMatch(n -> n.endsWith(".parquet") && !n.startsWith(".")));
  }

  /**
   * Waits until the run (started with {@code -Dparquet-ingest.test.pause.<point>}) has logged
   * {@code times} pauses at the crash point.
   */
  void awaitCrashPoint(Process p, String point, int times) throws Exception {
    String line = "crash point " + point;
    await(p, times + " × " + line, 90, 20, () -> occurrences(stderr(), line) >= times);
  }

  private static int occurrences(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  /** Sends SIGKILL and waits for the process to end. */
  static void sigkill(Process p) throws InterruptedException {
    p.destroyForcibly();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
  }

  /** Sends {@code signal} (e.g. {@code INT}) with {@code kill}. */
  static void signal(Process p, String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  /** The names in {@code out}, sorted; none if it is not there yet. */
  static List<String> names(Path out) throws IOException {
    if (!Files.isDirectory(out)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(out)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }
}
