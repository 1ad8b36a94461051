package dev.parquetingest.spi;

/**
 * The rolling policy: decides when the open file is complete. The runtime also rolls at the end
 * of the input and at shutdown, whatever the batcher says.
 *
 * <p>Called from the thread that writes the file; implementations should be cheap, since {@link
 * #shouldRoll} runs after every row.
 */
public interface Batcher {
  /** Called after each row is written; true to finish the file now. */
  boolean shouldRoll(FileStats file);
}
