package dev.parquetingest.partition;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Hive-style partition paths ({@code dt=2026-11-21/hour=13}, {@code country=DE}) from column values
 * or from time, made safe to use inside a key prefix or a directory.
 *
 * <p>Whatever the value, a segment is one path segment: it never contains {@code /}, never is
 * {@code .} or {@code ..}, holds no control or invisible formatting character and is at most
 * {@value #MAX_SEGMENT_BYTES} bytes of UTF-8. ASCII letters, digits and {@code - _ .} stay as they
 * are; every other ASCII character becomes {@code %XX}, as Hive, Spark and Trino escape and
 * unescape partition values; other Unicode letters, digits, marks, punctuation and symbols stay;
 * any other code point (control, format, separator, unpaired surrogate, private use, unassigned)
 * becomes {@code _}. A null or empty value becomes {@value #NULL_VALUE}. An over-long value is cut
 * and given a {@code ~} and 8 hex digits of its SHA-256, so distinct long values stay distinct.
 *
 * <p>Stateless and thread-safe.
 */
public final class HivePartitions {
  /** The value Hive uses for a null or empty partition value. */
  public static final String NULL_VALUE = "__HIVE_DEFAULT_PARTITION__";

  /** The most UTF-8 bytes of one escaped {@code name=value} segment. */
  public static final int MAX_SEGMENT_BYTES = 200;

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private HivePartitions() {}

  /**
   * One segment, {@code name=value}, both escaped.
   *
   * @throws IllegalArgumentException if the name is null or empty
   */
  public static String segment(String name, Object value) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid partition column name '" + name + "': must not be empty");
    }
    String escapedName = escape(name);
    int room = MAX_SEGMENT_BYTES - utf8Length(escapedName) - 1;
    if (room < 16) {
      throw new IllegalArgumentException(
          "Invalid partition column name '" + name + "': too long for a path segment");
    }
    String text = value == null ? null : value.toString();
    String escapedValue =
        text == null || text.isEmpty() ? NULL_VALUE : fit(text, escape(text), room);
    return escapedName + "=" + escapedValue;
  }

  /**
   * A path of segments in the map's iteration order (use a {@link java.util.LinkedHashMap}), e.g.
   * {@code country=DE/city=Berlin}, without leading or trailing slash.
   *
   * @throws IllegalArgumentException if the map is empty or a name is empty
   */
  public static String path(Map<String, ?> values) {
    Objects.requireNonNull(values, "values");
    if (values.isEmpty()) {
      throw new IllegalArgumentException("Cannot build a partition path: no columns given");
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, ?> e : values.entrySet()) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(segment(e.getKey(), e.getValue()));
    }
    return sb.toString();
  }

  /**
   * The time partition of an instant in a zone: {@code dt=2026-11-21} for {@link ChronoUnit#DAYS},
   * {@code dt=2026-11-21/hour=13} for {@link ChronoUnit#HOURS}.
   *
   * @throws IllegalArgumentException for any other unit
   */
  public static String time(Instant instant, ChronoUnit granularity, ZoneId zone) {
    Objects.requireNonNull(instant, "instant");
    Objects.requireNonNull(zone, "zone");
    ZonedDateTime t = instant.atZone(zone);
    String day =
        String.format(
            Locale.ROOT, "dt=%04d-%02d-%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth());
    if (granularity == ChronoUnit.DAYS) {
      return day;
    }
    if (granularity == ChronoUnit.HOURS) {
      return day + String.format(Locale.ROOT, "/hour=%02d", t.getHour());
    }
    throw new IllegalArgumentException(
        "Invalid time partition granularity " + granularity + ": use DAYS or HOURS");
  }

  /** {@link #time(Instant, ChronoUnit, ZoneId)} in UTC. */
  public static String time(Instant instant, ChronoUnit granularity) {
    return time(instant, granularity, ZoneId.of("UTC"));
  }

  /** Escapes one name or value as described in the class comment, without length limit. */
  public static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cp < 0x80) {
        if ((cp >= 'a' && cp <= 'z')
            || (cp >= 'A' && cp <= 'Z')
            || (cp >= '0' && cp <= '9')
            || cp == '-'
            || cp == '_'
            || cp == '.') {
          sb.append((char) cp);
        } else {
          sb.append('%').append(HEX[cp >> 4]).append(HEX[cp & 0xF]);
        }
      } else if (visible(cp)) {
        sb.appendCodePoint(cp);
      } else {
        sb.append('_');
      }
    }
    String s = sb.toString();
    // Only dots would make "." or ".."; a segment always has "name=" before it, but a name
    // escaped on its own must not be one either.
    return s.equals(".") || s.equals("..") ? s.replace(".", "%2E") : s;
  }

  private static boolean visible(int cp) {
    switch (Character.getType(cp)) {
      case Character.CONTROL:
      case Character.FORMAT:
      case Character.SPACE_SEPARATOR:
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
      case Character.SURROGATE:
      case Character.PRIVATE_USE:
      case Character.UNASSIGNED:
        return false;
      default:
        return true;
    }
  }

  /** The escaped value, or if longer than {@code room} bytes, a cut of it plus a hash. */
  private static String fit(String original, String escaped, int room) {
    if (utf8Length(escaped) <= room) {
      return escaped;
    }
    String suffix = "~" + sha256Hex(original).substring(0, 8);
    int budget = room - suffix.length();
    StringBuilder sb = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < escaped.length(); ) {
      int cp = escaped.codePointAt(i);
      int len = cp == '%' ? 3 : utf8Length(new String(Character.toChars(cp)));
      int chars = cp == '%' ? 3 : Character.charCount(cp);
      if (bytes + len > budget) {
        break;
      }
      sb.append(escaped, i, i + chars);
      bytes += len;
      i += chars;
    }
    return sb.append(suffix).toString();
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static String sha256Hex(String s) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder(digest.length * 2);
      for (byte b : digest) {
        sb.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
      }
      return sb.toString().toLowerCase(Locale.ROOT);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot hash a partition value: no SHA-256 in this JVM", e);
    }
  }
}
