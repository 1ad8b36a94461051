package dev.parquetingest.csv;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Decodes CSV field bytes (ASCII text of numbers, booleans, dates, timestamps, decimals) straight
 * from the read buffer into primitives, without creating Strings on the common paths. Each method
 * returns false if the text does not fit and leaves the result in {@link #longValue} or {@link
 * #doubleValue}. Not thread-safe: one per reader.
 */
final class FieldDecoder {
  private static final double[] POWERS_OF_TEN = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };
  private static final long[] LONG_POWERS = new long[19];

  static {
    LONG_POWERS[0] = 1;
    for (int i = 1; i < LONG_POWERS.length; i++) {
      LONG_POWERS[i] = LONG_POWERS[i - 1] * 10;
    }
  }

  long longValue;
  double doubleValue;
  BigDecimal decimalValue;

  /** For timestamps: whether the text carried a zone offset or Z. */
  boolean hadOffset;

  /** Optional sign and decimal digits, within [min, max]. */
  boolean parseLong(byte[] b, int off, int len, long min, long max) {
    if (len == 0) {
      return false;
    }
    int i = off;
    int end = off + len;
    boolean negative = false;
    int c = b[i];
    if (c == '-' || c == '+') {
      negative = c == '-';
      if (++i == end) {
        return false;
      }
    }
    // accumulate negatively, as Long.parseLong does, so that Long.MIN_VALUE fits
    long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
    long multmin = limit / 10;
    long result = 0;
    for (; i < end; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9 || result < multmin) {
        return false;
      }
      result *= 10;
      if (result < limit + d) {
        return false;
      }
      result -= d;
    }
    long value = negative ? result : -result;
    if (value < min || value > max) {
      return false;
    }
    longValue = value;
    return true;
  }

  /**
   * A decimal number, with exponent, or {@code NaN}, {@code Infinity}. Values of up to 18 digits
   * whose digits make at most 2^53, with no exponent, take an exact fast path (both operands of the
   * division are exact doubles, so the quotient is correctly rounded); the rest go through {@link
   * Double#parseDouble}.
   */
  boolean parseDouble(byte[] b, int off, int len) {
    if (len == 0) {
      return false;
    }
    int i = off;
    int end = off + len;
    boolean negative = false;
    if (b[i] == '-' || b[i] == '+') {
      negative = b[i] == '-';
      i++;
    }
    double plain = plainDecimal(b, i, end);
    if (plain == plain) {
      doubleValue = negative ? -plain : plain;
      return true;
    }
    if (!looksNumeric(b, off, len)) {
      return false;
    }
    try {
      double v = Double.parseDouble(new String(b, off, len, StandardCharsets.ISO_8859_1));
      if (Double.isInfinite(v) && !isInfinityLiteral(b, off, len)) {
        // a finite literal beyond the double range (1e400) is out of range, not Infinity
        return false;
      }
      doubleValue = v;
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * The value of the plain decimal in {@code b[i, end)} (digits, an optional point, digits; no
   * sign, at least one digit), or NaN if it is not one or takes the general parse: at most 18
   * digits, so the mantissa cannot overflow, whose value is at most 2^53, so that both operands of
   * one division are exact doubles and the quotient is correctly rounded, as {@link
   * Double#parseDouble} gives it. Up to 8 bytes are read as one word (the point taken out, the
   * digits combined at once, {@link #digits8}) when 8 bytes from {@code i} are in the array; the
   * same mantissa and division as the byte loop.
   */
  static double plainDecimal(byte[] b, int i, int end) {
    int m = end - i;
    if (m >= 2 && m <= 8 && i + 8 <= b.length) {
      long w = word(b, i);
      long inField = m == 8 ? -1L : (1L << (m << 3)) - 1;
      long points = zeroBytes(w ^ POINTS) & inField;
      int k = points == 0 ? m : Long.numberOfTrailingZeros(points) >>> 3;
      int digits = m;
      if (k < m) {
        long below = (1L << (k << 3)) - 1;
        w = (w & below) | ((w >>> 8) & ~below);
        digits = m - 1;
      }
      long mantissa = digits8(w, digits);
      if (mantissa < 0) {
        return Double.NaN;
      }
      return mantissa / POWERS_OF_TEN[k < m ? m - 1 - k : 0];
    }
    long mantissa = 0;
    int digitsStart = i;
    while (i < end) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        break;
      }
      mantissa = mantissa * 10 + d;
      i++;
    }
    int intDigits = i - digitsStart;
    int fraction = 0;
    if (i < end && b[i] == '.') {
      int fractionStart = ++i;
      while (i < end) {
        int d = b[i] - '0';
        if (d < 0 || d > 9) {
          break;
        }
        mantissa = mantissa * 10 + d;
        i++;
      }
      fraction = i - fractionStart;
    }
    int digits = intDigits + fraction;
    if (i != end || digits == 0 || digits > 18 || mantissa > (1L << 53)) {
      return Double.NaN;
    }
    return mantissa / POWERS_OF_TEN[fraction];
  }

  /**
   * The value of the 1 to 16 ASCII digits in {@code b[i, end)} (no sign), or -1 if there are none,
   * more than 16 or something else, or fewer than 8 bytes of the array from {@code end}: the
   * general parse ({@link #parseLong}) decides those. One or two words ({@link #digits8}).
   */
  static long plainDigits(byte[] b, int i, int end) {
    int n = end - i;
    if (n > 16 || end + 8 > b.length) {
      return -1;
    }
    if (n <= 8) {
      return digits8(word(b, i), n);
    }
    long hi = digits8(word(b, i), n - 8);
    long lo = digits8(word(b, end - 8), 8);
    return (hi | lo) < 0 ? -1 : hi * 100_000_000L + lo;
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long ZEROS = '0' * ONES;
  private static final long POINTS = '.' * ONES;

  private static long word(byte[] b, int off) {
    return (long) LONGS.get(b, off);
  }

  /**
   * The value of the {@code n} (1 to 8) ASCII digits in the low bytes of {@code w} (the first digit
   * in the lowest byte; the bytes above them are ignored), or -1 if one of them is not a digit or
   * {@code n} is 0. SWAR: the digits are moved to the top with '0's below them, checked, then
   * combined in pairs, fours and eights.
   */
  static long digits8(long w, int n) {
    if (n == 0) {
      return -1;
    }
    int shift = (8 - n) << 3;
    long v = (w << shift) | (ZEROS & ((1L << shift) - 1));
    if (((v & 0xF0F0F0F0F0F0F0F0L) | (((v + 0x0606060606060606L) & 0xF0F0F0F0F0F0F0F0L) >>> 4))
        != 0x3333333333333333L) {
      return -1;
    }
    v = ((v & 0x0F0F0F0F0F0F0F0FL) * 2561) >>> 8;
    v = ((v & 0x00FF00FF00FF00FFL) * 6553601) >>> 16;
    return ((v & 0x0000FFFF0000FFFFL) * 42949672960001L) >>> 32;
  }

  /** The high bit of each zero byte set; only the lowest one is exact (see CsvTokenizer). */
  private static long zeroBytes(long x) {
    return (x - ONES) & ~x & 0x8080808080808080L;
  }

  private static boolean isInfinityLiteral(byte[] b, int off, int len) {
    int i = off;
    if (len > 0 && (b[i] == '-' || b[i] == '+')) {
      i++;
    }
    return off + len - i == 8 && b[i] == 'I';
  }

  /** Digits, sign, dot and exponent only, or NaN / Infinity with an optional sign. */
  private static boolean looksNumeric(byte[] b, int off, int len) {
    String special = new String(b, off, len, StandardCharsets.ISO_8859_1);
    if (special.equals("NaN") || special.matches("[+-]?Infinity")) {
      return true;
    }
    for (int k = off; k < off + len; k++) {
      int c = b[k];
      if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
        return false;
      }
    }
    return true;
  }

  /** true/false, t/f, yes/no, y/n, 1/0, any case. */
  boolean parseBoolean(byte[] b, int off, int len) {
    switch (len) {
      case 1:
        {
          int c = Character.toLowerCase(b[off]);
          if (c == 't' || c == 'y' || c == '1') {
            longValue = 1;
            return true;
          }
          if (c == 'f' || c == 'n' || c == '0') {
            longValue = 0;
            return true;
          }
          return false;
        }
      case 2:
        return matches(b, off, "no", 0);
      case 3:
        return matches(b, off, "yes", 1);
      case 4:
        return matches(b, off, "true", 1);
      case 5:
        return matches(b, off, "false", 0);
      default:
        return false;
    }
  }

  /** Only {@code true} or {@code false}, any case: what schema inference accepts. */
  static boolean isStrictBoolean(byte[] b, int off, int len) {
    return (len == 4 && equalsIgnoreCase(b, off, "true"))
        || (len == 5 && equalsIgnoreCase(b, off, "false"));
  }

  private boolean matches(byte[] b, int off, String word, long value) {
    if (equalsIgnoreCase(b, off, word)) {
      longValue = value;
      return true;
    }
    return false;
  }

  /** {@code word} is lower-case ASCII letters: a byte matches a letter or its upper case. */
  private static boolean equalsIgnoreCase(byte[] b, int off, String word) {
    for (int i = 0; i < word.length(); i++) {
      if ((b[off + i] | 0x20) != word.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** {@code yyyy-MM-dd}; the result is days since 1970-01-01. */
  boolean parseDate(byte[] b, int off, int len) {
    if (len != 10 || b[off + 4] != '-' || b[off + 7] != '-') {
      return false;
    }
    int y = digits(b, off, 4);
    int m = digits(b, off + 5, 2);
    int d = digits(b, off + 8, 2);
    if (y < 0 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) {
      return false;
    }
    longValue = epochDay(y, m, d);
    return true;
  }

  /**
   * {@code yyyy-MM-dd[T| ]HH:mm[:ss[.fffffffff]][Z|+HH:mm|+HHmm|+HH]}; the result is in {@code
   * unitsPerSecond} (1000 or 1000000) since the epoch, offset applied. Fails if the fraction has
   * more precision than the unit holds.
   */
  boolean parseTimestamp(byte[] b, int off, int len, long unitsPerSecond) {
    if (len < 16 || !parseDate(b, off, 10)) {
      return false;
    }
    long days = longValue;
    int sep = b[off + 10];
    if ((sep != 'T' && sep != ' ') || b[off + 13] != ':') {
      return false;
    }
    int h = digits(b, off + 11, 2);
    int min = digits(b, off + 14, 2);
    int i = off + 16;
    int end = off + len;
    int s = 0;
    long nanos = 0;
    if (i < end && b[i] == ':') {
      if (i + 3 > end) {
        return false;
      }
      s = digits(b, i + 1, 2);
      i += 3;
      if (i < end && b[i] == '.') {
        i++;
        int start = i;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
          if (i - start >= 9) {
            return false;
          }
          nanos = nanos * 10 + (b[i] - '0');
          i++;
        }
        if (i == start) {
          return false;
        }
        for (int k = i - start; k < 9; k++) {
          nanos *= 10;
        }
      }
    }
    if (h < 0 || h > 23 || min < 0 || min > 59 || s < 0 || s > 59) {
      return false;
    }
    int offsetSeconds = 0;
    hadOffset = false;
    if (i < end) {
      int z = b[i];
      if (z == 'Z' || z == 'z') {
        if (i + 1 != end) {
          return false;
        }
      } else if (z == '+' || z == '-') {
        int rest = end - i - 1;
        int oh;
        int om = 0;
        if (rest == 2) {
          oh = digits(b, i + 1, 2);
        } else if (rest == 4) {
          oh = digits(b, i + 1, 2);
          om = digits(b, i + 3, 2);
        } else if (rest == 5 && b[i + 3] == ':') {
          oh = digits(b, i + 1, 2);
          om = digits(b, i + 4, 2);
        } else {
          return false;
        }
        if (oh < 0 || oh > 18 || om < 0 || om > 59) {
          return false;
        }
        offsetSeconds = (z == '-' ? -1 : 1) * (oh * 3600 + om * 60);
      } else {
        return false;
      }
      hadOffset = true;
    }
    // divisions by constants (multiplications once compiled), not by a computed divisor
    long fraction;
    if (unitsPerSecond == 1_000_000L) {
      if (nanos % 1000 != 0) {
        return false;
      }
      fraction = nanos / 1000;
    } else if (unitsPerSecond == 1000L) {
      if (nanos % 1_000_000 != 0) {
        return false;
      }
      fraction = nanos / 1_000_000;
    } else {
      long nanosPerUnit = 1_000_000_000L / unitsPerSecond;
      if (nanos % nanosPerUnit != 0) {
        return false;
      }
      fraction = nanos / nanosPerUnit;
    }
    long seconds = days * 86_400L + h * 3600L + min * 60L + s - offsetSeconds;
    longValue = seconds * unitsPerSecond + fraction;
    return true;
  }

  /**
   * A plain decimal ({@code -123.45}) fitting {@code precision} and {@code scale} exactly: trailing
   * zeros beyond the scale are fine, other extra digits are not (they would need rounding). For
   * precision up to 18 the unscaled value is left in {@link #longValue}; above, in {@link
   * #decimalValue}.
   */
  boolean parseDecimal(byte[] b, int off, int len, int precision, int scale) {
    if (len == 0) {
      return false;
    }
    int i = off;
    int end = off + len;
    boolean negative = false;
    if (b[i] == '-' || b[i] == '+') {
      negative = b[i] == '-';
      i++;
    }
    if (precision > 18) {
      try {
        BigDecimal v = new BigDecimal(new String(b, off, len, StandardCharsets.ISO_8859_1));
        BigDecimal scaled = v.setScale(scale, java.math.RoundingMode.UNNECESSARY);
        if (scaled.precision() - scaled.scale() > precision - scale) {
          return false;
        }
        decimalValue = scaled;
        return true;
      } catch (NumberFormatException | ArithmeticException e) {
        return false;
      }
    }
    long unscaled = 0;
    int intDigits = 0;
    int fracDigits = 0;
    boolean seenDot = false;
    boolean any = false;
    for (; i < end; i++) {
      int c = b[i];
      if (c == '.' && !seenDot) {
        seenDot = true;
        continue;
      }
      int d = c - '0';
      if (d < 0 || d > 9) {
        return false;
      }
      any = true;
      if (seenDot) {
        if (fracDigits == scale) {
          if (d != 0) {
            return false;
          }
          continue;
        }
        fracDigits++;
      } else if (unscaled == 0 && d == 0) {
        continue;
      } else {
        intDigits++;
      }
      unscaled = unscaled * 10 + d;
    }
    if (!any || intDigits > precision - scale) {
      return false;
    }
    unscaled *= LONG_POWERS[scale - fracDigits];
    longValue = negative ? -unscaled : unscaled;
    return true;
  }

  private static int digits(byte[] b, int off, int n) {
    int v = 0;
    for (int i = 0; i < n; i++) {
      int d = b[off + i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  static int daysInMonth(int y, int m) {
    switch (m) {
      case 2:
        return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
      case 4:
      case 6:
      case 9:
      case 11:
        return 30;
      default:
        return 31;
    }
  }

  /** Days since 1970-01-01 of a valid proleptic Gregorian date (Hinnant's algorithm). */
  static long epochDay(int y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  }
}
