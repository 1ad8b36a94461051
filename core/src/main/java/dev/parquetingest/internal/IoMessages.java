package dev.parquetingest.internal;

import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** I/O failures as users read them: the reason, never a Java class name. Stateless. */
public final class IoMessages {
  private IoMessages() {}

  /**
   * The reason of {@code e}, e.g. {@code No space left on device}; for a file-system exception its
   * reason (the caller names the file), for a missing file {@code no such file}.
   */
  public static String of(Throwable e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof FileSystemException) {
      String reason = ((FileSystemException) e).getReason();
      if (reason != null) {
        return reason;
      }
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? "I/O error" : m;
  }
}
