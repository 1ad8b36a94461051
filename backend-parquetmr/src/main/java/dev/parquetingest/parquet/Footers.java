package dev.parquetingest.parquet;

import dev.parquetingest.common.IngestException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.parquet.Version;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.Util;

/**
 * What our files say about who wrote them: the footer's {@code created_by} and the key-value
 * metadata every file carries, for both backends. Stateless and thread-safe.
 */
public final class Footers {
  /** This library's version, from the build. */
  public static final String VERSION = readVersion();

  /**
   * The footer's {@code created_by}, in the {@code <application> version <version> (build <build>)}
   * form that readers parse (parquet-java's {@code VersionParser}, DuckDB, Spark): the application
   * is parquet-ingest; the build names the parquet-java release whose page and footer structures
   * both backends use.
   */
  public static final String CREATED_BY =
      "parquet-ingest version " + VERSION + " (build parquet-java-" + Version.VERSION_NUMBER + ")";

  /**
   * Key-value metadata key naming the library and its version ({@code parquet-ingest 0.1.0}). Both
   * backends write the same value: which one wrote a file is in the run report and manifest.
   */
  public static final String WRITER_KEY = "parquet-ingest.writer";

  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  private Footers() {}

  /** {@code base} and the {@link #WRITER_KEY} entry: the key-value metadata of a footer. */
  public static Map<String, String> keyValueMetadata(Map<String, String> base) {
    return keyValueMetadata(base, Map.of());
  }

  /**
   * The key-value metadata of a footer: {@code base} (the writer properties' extra metadata), the
   * {@link #WRITER_KEY} entry, and {@code runtime}, the entries the runtime hands to {@link
   * dev.parquetingest.spi.Encoder#finish(Map)}, which win over the others.
   */
  public static Map<String, String> keyValueMetadata(
      Map<String, String> base, Map<String, String> runtime) {
    Map<String, String> all = new HashMap<>(base);
    all.put(WRITER_KEY, "parquet-ingest " + VERSION);
    all.putAll(runtime);
    return all;
  }

  /**
   * The end of a Parquet file ({@code tail}: whatever precedes the footer, the Thrift footer, its
   * 4-byte little-endian length and {@code PAR1}) with the footer's {@code created_by} replaced.
   *
   * @throws IngestException if {@code tail} does not end with a footer
   */
  public static byte[] withCreatedBy(byte[] tail, String createdBy, String file) {
    int n = tail.length;
    if (n < 8 || !Arrays.equals(tail, n - 4, n, MAGIC, 0, 4)) {
      throw new IngestException("Cannot finish Parquet file " + file + ": no footer was written");
    }
    int length =
        (tail[n - 8] & 0xff)
            | (tail[n - 7] & 0xff) << 8
            | (tail[n - 6] & 0xff) << 16
            | (tail[n - 5] & 0xff) << 24;
    int footerStart = n - 8 - length;
    if (length <= 0 || footerStart < 0) {
      throw new IngestException(
          "Cannot finish Parquet file " + file + ": footer length " + length + " is invalid");
    }
    try {
      FileMetaData footer =
          Util.readFileMetaData(new ByteArrayInputStream(tail, footerStart, length));
      footer.setCreated_by(createdBy);
      ByteArrayOutputStream out = new ByteArrayOutputStream(n + createdBy.length());
      out.write(tail, 0, footerStart);
      int before = out.size();
      Util.writeFileMetaData(footer, out);
      int written = out.size() - before;
      out.write(written);
      out.write(written >>> 8);
      out.write(written >>> 16);
      out.write(written >>> 24);
      out.write(MAGIC);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot rewrite the footer of " + file, e);
    }
  }

  private static String readVersion() {
    try (InputStream in = Footers.class.getResourceAsStream("parquet-ingest.properties")) {
      if (in == null) {
        return "development";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "development");
    } catch (IOException e) {
      return "development";
    }
  }
}
