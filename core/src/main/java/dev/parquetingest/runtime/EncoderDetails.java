package dev.parquetingest.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/** The encoders' facts for the report, merged from every committed file. Thread-safe. */
final class EncoderDetails {
  private final Map<String, String> details = new LinkedHashMap<>();

  synchronized void add(Map<String, String> more) {
    details.putAll(more);
  }

  synchronized Map<String, String> snapshot() {
    return new LinkedHashMap<>(details);
  }
}
