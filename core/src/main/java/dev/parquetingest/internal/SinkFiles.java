package dev.parquetingest.internal;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.StagedOutput;
import java.io.IOException;

/** Small files written whole through a sink: the report, the manifest. */
public final class SinkFiles {
  private SinkFiles() {}

  /**
   * Stages {@code content} as {@code name} and commits it; aborts it on any failure.
   *
   * @param what what the file is, for the message, e.g. {@code the run report}
   * @return where the file is now visible
   * @throws IngestException naming the file if it cannot be written or committed
   */
  public static String write(Sink sink, String name, byte[] content, String what) {
    StagedOutput out = null;
    try {
      out = sink.create(name);
      out.stream().write(content);
      out.stream().flush();
      out.commit();
      return out.location();
    } catch (IOException | RuntimeException e) {
      if (out != null) {
        out.abort();
      }
      throw new IngestException("Cannot write " + what + " " + name + ": " + IoMessages.of(e), e);
    }
  }

  /** Writes a file's text to a writer. */
  @FunctionalInterface
  public interface Text {
    void writeTo(java.io.Writer out) throws IOException;
  }

  /**
   * Stages {@code name}, writes {@code text} to it as UTF-8 and commits it; aborts it on any
   * failure. For files too long to build in memory first (the report of a run with many files).
   *
   * @return where the file is now visible
   * @throws IngestException naming the file if it cannot be written or committed
   */
  public static String write(Sink sink, String name, Text text, String what) {
    return write(sink, name, text, what, false);
  }

  /**
   * {@link #write(Sink, String, Text, String)}, replacing a committed file of that name if {@code
   * replace}.
   */
  public static String write(Sink sink, String name, Text text, String what, boolean replace) {
    StagedOutput out = null;
    try {
      out = sink.create(name, replace);
      java.io.Writer w =
          new java.io.OutputStreamWriter(out.stream(), java.nio.charset.StandardCharsets.UTF_8);
      text.writeTo(w);
      w.flush();
      out.commit();
      return out.location();
    } catch (IOException | RuntimeException e) {
      if (out != null) {
        out.abort();
      }
      throw new IngestException("Cannot write " + what + " " + name + ": " + IoMessages.of(e), e);
    }
  }
}
