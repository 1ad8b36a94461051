package dev.parquetingest.internal;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.spi.EncoderProvider;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Finds {@link EncoderProvider}s on the class path by name. Thread-safe. */
public final class Encoders {
  /** Where each known backend lives, for the message when one is missing. */
  private static final Map<String, String> ARTIFACTS =
      Map.of(
          "parquet-mr", "dev.parquetingest:parquet-ingest-backend-parquetmr",
          "arrow", "dev.parquetingest:parquet-ingest-backend-arrow",
          "auto", "dev.parquetingest:parquet-ingest-backend-arrow");

  private Encoders() {}

  /** Every provider by name; two providers with one name is an error naming both. */
  public static Map<String, EncoderProvider> available() {
    Map<String, EncoderProvider> byName = new TreeMap<>();
    for (EncoderProvider p :
        ServiceLoader.load(EncoderProvider.class, Encoders.class.getClassLoader())) {
      EncoderProvider previous = byName.put(p.name(), p);
      if (previous != null) {
        throw new IngestException(
            "Cannot choose encoder '"
                + p.name()
                + "': two providers have that name, "
                + previous.getClass().getName()
                + " and "
                + p.getClass().getName()
                + "; remove one from the class path");
      }
    }
    return byName;
  }

  /**
   * The provider named {@code name}.
   *
   * @throws IllegalArgumentException listing the available names and the artifact to add
   */
  public static EncoderProvider find(String name) {
    Map<String, EncoderProvider> all = available();
    EncoderProvider p = all.get(name);
    if (p != null) {
      return p;
    }
    String artifact = ARTIFACTS.get(name);
    throw new IllegalArgumentException(
        "Unknown encoder '"
            + name
            + "': available encoders are "
            + all.keySet()
            + (artifact != null
                ? "; add the artifact " + artifact + " to the class path to use it"
                : "; encoders are found through META-INF/services/"
                    + EncoderProvider.class.getName()));
  }
}
