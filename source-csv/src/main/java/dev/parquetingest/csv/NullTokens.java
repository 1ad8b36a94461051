package dev.parquetingest.csv;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The one rule for which CSV fields are null, used by the reader and by schema inference alike: an
 * unquoted empty field, an unquoted field equal to a configured null token, and, in a column that
 * is not text, a quoted empty field or one of spaces only. In a text column (string, binary) a
 * quoted field is never null, so {@code ""} is the empty string. Immutable.
 */
final class NullTokens {
  private final byte[][] tokens;

  NullTokens(List<String> tokens) {
    this.tokens = new byte[tokens.size()][];
    for (int i = 0; i < this.tokens.length; i++) {
      this.tokens[i] = tokens.get(i).getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Whether the field is null in a column that is text ({@code text}) or not. */
  boolean isNull(byte[] b, int off, int len, boolean quoted, boolean text) {
    if (len == 0) {
      return !(quoted && text);
    }
    if (!quoted && tokens.length > 0 && isToken(b, off, len)) {
      return true;
    }
    return !text && b[off] == ' ' && isBlank(b, off, len);
  }

  /** Whether any null token is configured. */
  boolean hasTokens() {
    return tokens.length > 0;
  }

  /** Whether the bytes equal one of the null tokens (quoted or not: the caller checks). */
  boolean isToken(byte[] b, int off, int len) {
    for (byte[] token : tokens) {
      if (token.length == len && Arrays.equals(token, 0, len, b, off, off + len)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the field is null whatever the column's type: what schema inference skips (a quoted or
   * blank value still says something about the type).
   */
  boolean isNullInEveryType(byte[] b, int off, int len, boolean quoted) {
    return isNull(b, off, len, quoted, true);
  }

  private static boolean isBlank(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      if (b[i] != ' ') {
        return false;
      }
    }
    return true;
  }
}
