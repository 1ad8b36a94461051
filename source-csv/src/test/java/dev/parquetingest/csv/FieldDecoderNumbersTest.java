package dev.parquetingest.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The number paths shared by the row decoder's fast paths and the general parse ({@link
 * FieldDecoder#plainDecimal}, {@link FieldDecoder#plainDigits}, and {@link
 * FieldDecoder#parseDouble} over them) against the JDK's parsers, the oracle: seeded random plain
 * decimals and digit strings of every length a word holds and around the 18-digit and 2^53 limits,
 * some with a byte that is not a digit, each placed both where 8 bytes can be read past it (the
 * word paths) and at the very end of its array (the byte loops).
 */
class FieldDecoderNumbersTest {
  @Test
  void plainDecimalsAreWhatDoubleParseDoubleGivesAndTheRestIsLeftToTheGeneralParse() {
    Random r = new Random(20261201);
    int plain = 0;
    for (int k = 0; k < 200_000; k++) {
      String v = candidate(r, true);
      boolean isPlain = v.matches("[0-9]*\\.?[0-9]*") && v.matches(".*[0-9].*");
      for (boolean atEnd : new boolean[] {false, true}) {
        byte[] b = placed(v, atEnd);
        int off = atEnd ? b.length - v.length() : 3;
        double got = FieldDecoder.plainDecimal(b, off, off + v.length());
        if (got == got) {
          assertThat(isPlain).as("%s accepted", v).isTrue();
          assertThat(got).as("%s (at end: %s)", v, atEnd).isEqualTo(Double.parseDouble(v));
          plain++;
        } else if (isPlain) {
          // left to the general parse only beyond 18 digits or 2^53
          String digits = v.replace(".", "");
          assertThat(digits.length() > 18 || Long.parseLong(digits) > (1L << 53))
              .as("%s refused", v)
              .isTrue();
        }
        FieldDecoder d = new FieldDecoder();
        String signed = (k % 3 == 0 ? "-" : "") + v;
        byte[] s = placed(signed, atEnd);
        int so = atEnd ? s.length - signed.length() : 3;
        if (d.parseDouble(s, so, signed.length())) {
          assertThat(d.doubleValue).as(signed).isEqualTo(Double.parseDouble(signed));
        } else {
          assertThat(isPlain).as("%s refused by parseDouble", signed).isFalse();
        }
      }
    }
    assertThat(plain).isGreaterThan(150_000);
  }

  @Test
  void plainDigitsAreWhatLongParseLongGivesUpTo16Digits() {
    Random r = new Random(11);
    int taken = 0;
    for (int k = 0; k < 200_000; k++) {
      String v = candidate(r, false);
      boolean digits = v.matches("[0-9]{1,16}");
      for (boolean atEnd : new boolean[] {false, true}) {
        byte[] b = placed(v, atEnd);
        int off = atEnd ? b.length - v.length() : 3;
        long got = FieldDecoder.plainDigits(b, off, off + v.length());
        if (got >= 0) {
          assertThat(digits).as("%s accepted", v).isTrue();
          assertThat(got).as(v).isEqualTo(Long.parseLong(v));
          taken++;
        } else if (!atEnd) {
          assertThat(digits).as("%s refused", v).isFalse();
        }
      }
    }
    assertThat(taken).isGreaterThan(50_000);
  }

  /** Digits, sometimes a point, sometimes one byte a word test could take for a digit or point. */
  private static String candidate(Random r, boolean point) {
    int n = r.nextInt(4) == 0 ? 15 + r.nextInt(6) : 1 + r.nextInt(10);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append((char) ('0' + r.nextInt(10)));
    }
    if (r.nextInt(20) == 0) {
      sb.setLength(0);
      sb.append(r.nextBoolean() ? "9007199254740992" : "9007199254740993");
    }
    if (point && r.nextInt(4) != 0) {
      sb.insert(r.nextInt(sb.length() + 1), '.');
    }
    if (r.nextInt(8) == 0) {
      String[] near = {"/", ":", ".", ";", "`", "p", "e", " ", "-", "+"};
      int at = r.nextInt(sb.length());
      sb.replace(at, at + 1, near[r.nextInt(near.length)]);
    }
    return sb.toString();
  }

  /** {@code v}'s bytes after 3 bytes of padding, with 8 more after it unless {@code atEnd}. */
  private static byte[] placed(String v, boolean atEnd) {
    byte[] text = v.getBytes(StandardCharsets.US_ASCII);
    byte[] b = new byte[3 + text.length + (atEnd ? 0 : 8)];
    java.util.Arrays.fill(b, (byte) '7');
    System.arraycopy(text, 0, b, 3, text.length);
    return b;
  }
}
