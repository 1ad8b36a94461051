package dev.parquetingest.datagen;

import java.util.SplittableRandom;

/** Small helpers for building CSV text. Stateless. */
final class Text {
  static final String[] WORDS =
      ("the a an and or but great good bad terrible excellent quality price value product item"
              + " works broke arrived quickly slowly battery screen size color fits perfectly would"
              + " recommend again never buy this that it was is not very really quite too much little"
              + " love hate okay fine amazing disappointing cheap expensive durable flimsy sturdy easy"
              + " hard setup instructions manual customer service return refund shipping box package"
              + " gift kids wife husband daughter son home office kitchen garden car travel daily use"
              + " months weeks days years after before since stopped started working sound picture")
          .split(" ");

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Text() {}

  static void words(SplittableRandom random, StringBuilder out, int minChars, int maxChars) {
    int target = minChars + random.nextInt(maxChars - minChars + 1);
    int start = out.length();
    while (out.length() - start < target) {
      if (out.length() > start) {
        out.append(' ');
      }
      out.append(WORDS[random.nextInt(WORDS.length)]);
    }
    out.setLength(start + target);
  }

  static void hex(SplittableRandom random, StringBuilder out, int digits) {
    for (int i = 0; i < digits; i++) {
      out.append(HEX[random.nextInt(16)]);
    }
  }

  static <T> T pick(SplittableRandom random, T[] values) {
    return values[random.nextInt(values.length)];
  }

  /** Picks skewed towards the first values, as real categorical data is. */
  static <T> T pickSkewed(SplittableRandom random, T[] values) {
    double u = random.nextDouble();
    return values[(int) (u * u * values.length)];
  }

  static void pad2(StringBuilder out, int v) {
    if (v < 10) {
      out.append('0');
    }
    out.append(v);
  }

  static void pad3(StringBuilder out, int v) {
    if (v < 100) {
      out.append('0');
    }
    pad2(out, v);
  }
}
