package dev.parquetingest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** This library's version, from the build ("development" when run from unpackaged classes). */
public final class Version {
  /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static final String VERSION = read();

  private Version() {}

  private static String read() {
    try (InputStream in = Version.class.getResourceAsStream("parquet-ingest-core.properties")) {
      if (in == null) {
        return "development";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "development");
      return v.startsWith("${") ? "development" : v;
    } catch (IOException e) {
      return "development";
    }
  }
}
