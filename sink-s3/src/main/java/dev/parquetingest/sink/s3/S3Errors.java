package dev.parquetingest.sink.s3;

import dev.parquetingest.common.IngestException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns SDK exceptions into messages that name the object and the S3 error. Stateless. */
final class S3Errors {
  /** How the AWS SDK's credential provider chain starts its message when none has credentials. */
  static final String NO_CREDENTIALS = "Unable to load credentials";

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
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      if (message.startsWith(NO_CREDENTIALS)) {
        // the SDK's message goes on to dump every provider of its chain and why each failed
        return "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and"
            + " AWS_SESSION_TOKEN for temporary ones), or AWS_PROFILE for a profile in"
            + " ~/.aws/credentials, or run where an instance or container role provides them";
      }
      return message;
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
