package dev.parquetingest.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The first number of a field in a report's, a manifest line's or a rejects line's JSON. */
public final class JsonNumbers {
  private JsonNumbers() {}

  /** The value of the first {@code "field": n} in {@code json}; fails if there is none. */
  public static long number(String json, String field) {
    Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\":\\s*(-?\\d+)").matcher(json);
    assertThat(m.find()).as(field + " in " + json).isTrue();
    return Long.parseLong(m.group(1));
  }
}
