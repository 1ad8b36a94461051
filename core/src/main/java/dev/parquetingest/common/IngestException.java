package dev.parquetingest.common;

/** The base of every exception the library throws for a failed run. Unchecked. */
public class IngestException extends RuntimeException {
  public IngestException(String message) {
    super(message);
  }

  public IngestException(String message, Throwable cause) {
    super(message, cause);
  }
}
