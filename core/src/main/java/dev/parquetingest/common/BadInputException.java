package dev.parquetingest.common;

/**
 * The input cannot be read as configured: a missing or empty file, a schema that cannot be
 * inferred, a malformed record. The CLI exits with code 3.
 */
public class BadInputException extends IngestException {
  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
