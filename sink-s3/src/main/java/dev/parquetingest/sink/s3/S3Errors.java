package dev.parquetingest.sink.s3;

import dev.parquetingest.IngestException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns SDK exceptions into messages that name the object and the S3 error. Stateless. */
final class S3Errors {
  private S3Errors() {}

  /**
   * {@code Cannot <action> s3://bucket/key: S3 error <Code> (HTTP <status>): <message>}, or the
   * client-side reason (timeout, connection) with the number of attempts made.
   */
  static IngestException failure(String action, String bucket, String key, Throwable e) {
    return new IngestException(
        "Cannot " + action + " " + S3Sink.location(bucket, key) + ": " + describe(e), e);
  }

  static String describe(Throwable e) {
    if (e instanceof AwsServiceException) {
      AwsServiceException s = (AwsServiceException) e;
      String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
      String message = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorMessage();
      return "S3 error "
          + (code == null ? "(no code)" : code)
          + " (HTTP "
          + s.statusCode()
          + ")"
          + (message == null ? "" : ": " + message)
          + attempts(s);
    }
    if (e instanceof SdkException) {
      return e.getMessage() == null ? e.toString() : e.getMessage();
    }
    return String.valueOf(e);
  }

  static int status(Throwable e) {
    return e instanceof AwsServiceException ? ((AwsServiceException) e).statusCode() : -1;
  }

  private static String attempts(SdkException e) {
    Integer n = e.numAttempts();
    return n != null && n > 1 ? " (after " + n + " attempts)" : "";
  }
}
