package dev.parquetingest.internal;

import dev.parquetingest.IngestException;
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
      throw new IngestException("Cannot write " + what + " " + name + ": " + e, e);
    }
  }
}
