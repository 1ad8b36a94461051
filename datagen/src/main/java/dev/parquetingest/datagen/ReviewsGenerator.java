package dev.parquetingest.datagen;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.Schema;
import java.time.LocalDate;
import java.util.SplittableRandom;

/** Product reviews; see {@link Dataset#REVIEWS}. Not thread-safe. */
final class ReviewsGenerator implements Dataset.RowWriter {
  static final Schema SCHEMA =
      Schema.builder()
          .required("review_id", ColumnType.string())
          .optional("marketplace", ColumnType.string())
          .optional("customer_id", ColumnType.int64())
          .optional("product_id", ColumnType.string())
          .optional("product_category", ColumnType.string())
          .optional("star_rating", ColumnType.int32())
          .optional("helpful_votes", ColumnType.int32())
          .optional("total_votes", ColumnType.int32())
          .optional("verified_purchase", ColumnType.booleanType())
          .optional("review_date", ColumnType.date())
          .optional("review_title", ColumnType.string())
          .optional("review_body", ColumnType.string())
          .build();

  private static final String[] MARKETPLACES = {"US", "UK", "DE", "FR", "JP", "CA", "IN"};
  private static final String[] CATEGORIES = {
    "Books",
    "Electronics",
    "Home",
    "Kitchen",
    "Toys",
    "Sports",
    "Beauty",
    "Garden",
    "Automotive",
    "Music",
    "Video Games",
    "Apparel",
    "Shoes",
    "Jewelry",
    "Grocery",
    "Health",
    "Baby",
    "Pet",
    "Office",
    "Tools",
    "Software",
    "Camera",
    "Wireless",
    "Furniture",
    "Luggage",
    "Watches",
    "Outdoors",
    "Digital Music",
    "Mobile Apps",
    "Gift Card"
  };
  private static final char[] ID_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();
  private static final long FIRST_DAY = LocalDate.of(1999, 1, 1).toEpochDay();
  private static final int DAYS = 365 * 17;

  private final SplittableRandom random;
  private final StringBuilder body = new StringBuilder(1024);

  ReviewsGenerator(SplittableRandom random) {
    this.random = random;
  }

  @Override
  public void append(long index, StringBuilder line) {
    SplittableRandom r = random;
    line.append('R');
    for (int i = 0; i < 13; i++) {
      line.append(ID_CHARS[r.nextInt(ID_CHARS.length)]);
    }
    line.append(',').append(Text.pickSkewed(r, MARKETPLACES));
    line.append(',').append(10_000_000L + r.nextLong(90_000_000_000L));
    line.append(",B0");
    for (int i = 0; i < 8; i++) {
      line.append(ID_CHARS[r.nextInt(ID_CHARS.length)]);
    }
    line.append(',').append(Text.pickSkewed(r, CATEGORIES));
    int rating = 5 - (int) (Math.pow(r.nextDouble(), 2) * 5);
    line.append(',').append(Math.max(1, rating));
    int total = (int) (Math.pow(r.nextDouble(), 6) * 500);
    int helpful = total == 0 ? 0 : r.nextInt(total + 1);
    line.append(',').append(helpful).append(',').append(total);
    line.append(',').append(r.nextInt(10) < 8 ? "true" : "false");
    line.append(',').append(LocalDate.ofEpochDay(FIRST_DAY + r.nextInt(DAYS)));
    line.append(',');
    if (r.nextInt(50) != 0) {
      Text.words(r, line, 5, 60);
    }
    line.append(",\"");
    body(r, line);
    line.append('"');
  }

  /** 50 to 1,000 characters, most short; commas, quotes (doubled in CSV) and some newlines. */
  private void body(SplittableRandom r, StringBuilder line) {
    StringBuilder text = body;
    text.setLength(0);
    int length = 50 + (int) (Math.pow(r.nextDouble(), 2.5) * 950);
    boolean newlines = r.nextInt(20) == 0;
    while (text.length() < length) {
      int k = r.nextInt(40);
      if (k == 0) {
        text.append('"').append(Text.WORDS[r.nextInt(Text.WORDS.length)]).append("\" ");
      } else if (k < 5) {
        text.append(Text.WORDS[r.nextInt(Text.WORDS.length)]).append(", ");
      } else if (k == 5 && newlines) {
        text.append('\n');
      } else {
        text.append(Text.WORDS[r.nextInt(Text.WORDS.length)]).append(' ');
      }
    }
    text.setLength(length);
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c == '"') {
        line.append('"');
      }
      line.append(c);
    }
  }
}
