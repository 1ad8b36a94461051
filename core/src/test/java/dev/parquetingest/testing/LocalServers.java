package dev.parquetingest.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Starting tests' real servers on 127.0.0.1: a free port, and waiting until a server is ready.
 * Stateless and thread-safe.
 */
public final class LocalServers {
  /** The address every test server listens on. */
  public static final String HOST = "127.0.0.1";

  private LocalServers() {}

  /**
   * A port on 127.0.0.1 that is free now. Another process may take it before the server binds it; a
   * server that can bind port 0 itself should do that instead.
   */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free port on " + HOST, e);
    }
  }

  /**
   * Returns once {@code ready} holds, looking every 10 ms.
   *
   * @param name the server, for the failure's message
   * @param why what went wrong, asked only on failure (the server's state, its log)
   * @throws IllegalStateException "Cannot start {@code name}: {@code why}" if {@code ready} does
   *     not hold within {@code patience}
   * @throws InterruptedException if interrupted while waiting
   */
  public static void awaitReady(
      String name, Duration patience, BooleanSupplier ready, Supplier<String> why)
      throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!ready.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "Cannot start " + name + " within " + patience + ": " + why.get());
      }
      Thread.sleep(10);
    }
  }

  /**
   * Returns once {@code process} accepts connections on 127.0.0.1:{@code port}; destroys it and
   * throws if it exits first or does not listen within {@code patience}.
   *
   * @param log the process's output, quoted in the failure
   * @throws IllegalStateException "Cannot start {@code name}: ..." with the process's log
   * @throws InterruptedException if interrupted while waiting (the process is destroyed)
   */
  public static void awaitListening(
      String name, Process process, int port, Duration patience, Path log)
      throws InterruptedException {
    boolean started = false;
    try {
      awaitReady(
          name,
          patience,
          () -> {
            if (!process.isAlive()) {
              throw new IllegalStateException(
                  "Cannot start "
                      + name
                      + ": it exited with "
                      + process.exitValue()
                      + ": "
                      + read(log));
            }
            return listening(port);
          },
          () -> "nothing listens on " + HOST + ":" + port + ": " + read(log));
      started = true;
    } finally {
      if (!started) {
        process.destroyForcibly();
      }
    }
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(HOST, port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }
}
