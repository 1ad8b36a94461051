package dev.parquetingest.common;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An amount of bytes, parsed from and printed as {@code 128MB}, {@code 1.5GB}, {@code 512KiB},
 * {@code 4096}. Units are binary (KB = KiB = 1024 bytes), as for heap sizes. Immutable.
 */
public final class DataSize implements Comparable<DataSize> {
  private static final Pattern TEXT =
      Pattern.compile(
          "^\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([kmgt]?)(i?b?)\\s*$", Pattern.CASE_INSENSITIVE);

  private final long bytes;

  private DataSize(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("Cannot create a data size of " + bytes + " bytes");
    }
    this.bytes = bytes;
  }

  public static DataSize ofBytes(long bytes) {
    return new DataSize(bytes);
  }

  public static DataSize ofKilobytes(long kb) {
    return new DataSize(Math.multiplyExact(kb, 1024L));
  }

  public static DataSize ofMegabytes(long mb) {
    return new DataSize(Math.multiplyExact(mb, 1024L * 1024));
  }

  /**
   * Parses {@code 128MB}, {@code 1.5 GiB}, {@code 64k}, {@code 4096}.
   *
   * @throws IllegalArgumentException with the text if it is not a size
   */
  public static DataSize parse(String text) {
    Matcher m = TEXT.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "Cannot parse data size '" + text + "': expected a number and a unit, e.g. 128MB");
    }
    double number = Double.parseDouble(m.group(1));
    long factor;
    switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k":
        factor = 1L << 10;
        break;
      case "m":
        factor = 1L << 20;
        break;
      case "g":
        factor = 1L << 30;
        break;
      case "t":
        factor = 1L << 40;
        break;
      default:
        factor = 1;
    }
    return new DataSize(Math.round(number * factor));
  }

  public long toBytes() {
    return bytes;
  }

  @Override
  public int compareTo(DataSize o) {
    return Long.compare(bytes, o.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataSize && ((DataSize) o).bytes == bytes;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(bytes);
  }

  /** The largest whole unit, e.g. {@code 128MB}, or bytes with a fraction, e.g. {@code 1.5MB}. */
  @Override
  public String toString() {
    String[] units = {"B", "KB", "MB", "GB", "TB"};
    int unit = 0;
    double value = bytes;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    if (value == Math.rint(value)) {
      return (long) value + units[unit];
    }
    return String.format(Locale.ROOT, "%.1f%s", value, units[unit]);
  }
}
