package dev.parquetingest.cli;

import dev.parquetingest.Sinks;
import dev.parquetingest.common.DataSize;
import dev.parquetingest.sink.s3.S3Sink;
import dev.parquetingest.spi.Sink;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * Where the files go, shared by {@code csv}, {@code kafka} and {@code sqs}: {@code --out} (a local
 * directory or {@code s3://bucket/prefix}) and the {@code --s3-*} options, turned into one {@link
 * Sink}. Not thread-safe (picocli fills it, one command uses it).
 */
final class OutputOptions {
  @Option(
      names = "--out",
      required = true,
      paramLabel = "<dir|s3://bucket/prefix>",
      description = "Output directory (created if missing), or an S3 location.")
  String out;

  @Option(
      names = "--s3-endpoint",
      paramLabel = "<url>",
      description =
          "With s3:// output: an S3-compatible endpoint instead of AWS, e.g. http://127.0.0.1:9000.")
  URI s3Endpoint;

  @Option(
      names = "--s3-region",
      paramLabel = "<region>",
      description = "With s3:// output: the bucket's region (default: the AWS SDK's region chain).")
  String s3Region;

  @Option(
      names = "--s3-path-style",
      description =
          "With s3:// output: path-style requests (host/bucket/key), as most S3-compatible stores need.")
  boolean s3PathStyle;

  @Option(
      names = "--s3-part-size",
      converter = CsvCommand.SizeConverter.class,
      paramLabel = "<size>",
      description =
          "With s3:// output: multipart part size, 5MB..1GB (default 8MB); files smaller than"
              + " one part go up in one PutObject.")
  DataSize s3PartSize;

  @Option(
      names = "--s3-sse",
      paramLabel = "bucket-default|aes256|kms",
      description =
          "With s3:// output: server-side encryption of the objects: the bucket's default"
              + " (default), aes256 (SSE-S3, keys managed by S3) or kms (SSE-KMS).")
  String s3Sse;

  @Option(
      names = "--s3-kms-key-id",
      paramLabel = "<key>",
      description =
          "With s3:// output: the KMS key (id, ARN or alias/name) for SSE-KMS; implies --s3-sse kms"
              + " (default: the account's AWS managed key).")
  String s3KmsKeyId;

  /** Whether {@code --out} is an S3 location (any case, as {@code S3Sink.Builder#location}). */
  boolean isS3() {
    return out.regionMatches(true, 0, "s3://", 0, 5);
  }

  /**
   * Checks the {@code --s3-*} values against their limits in the CLI's words.
   *
   * @throws IllegalArgumentException naming the option
   */
  void check() {
    if (s3PartSize != null
        && (s3PartSize.compareTo(S3Sink.MIN_PART_SIZE) < 0
            || s3PartSize.compareTo(S3Sink.MAX_PART_SIZE) > 0)) {
      throw new IllegalArgumentException(
          "Invalid --s3-part-size "
              + s3PartSize
              + ": must be from "
              + S3Sink.MIN_PART_SIZE
              + " to "
              + S3Sink.MAX_PART_SIZE);
    }
  }

  /**
   * A local directory, or an S3 sink for {@code s3://bucket/prefix}.
   *
   * @throws IllegalArgumentException for a blank {@code --out}, {@code --s3-*} options with local
   *     output, or values that do not agree
   */
  Sink sink() {
    if (out.isBlank()) {
      throw new IllegalArgumentException(
          "Invalid --out '" + out + "': give a directory or s3://bucket/prefix");
    }
    if (!isS3()) {
      if (s3Endpoint != null
          || s3Region != null
          || s3PathStyle
          || s3PartSize != null
          || s3Sse != null
          || s3KmsKeyId != null) {
        throw new IllegalArgumentException(
            "Invalid --s3-endpoint, --s3-region, --s3-path-style, --s3-part-size, --s3-sse or"
                + " --s3-kms-key-id: only with --out s3://bucket/prefix");
      }
      return Sinks.localDirectory(Path.of(out));
    }
    URI location;
    try {
      location = new URI(out);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Invalid --out '" + out + "': " + e.getMessage(), e);
    }
    S3Sink.Builder s3 = S3Sink.builder(location).pathStyleAccess(s3PathStyle);
    if (s3PartSize != null) {
      s3.partSize(s3PartSize);
    }
    if (s3Endpoint != null) {
      s3.endpointOverride(s3Endpoint);
    }
    if (s3Region != null) {
      s3.region(s3Region);
    }
    S3Sink.Encryption encryption =
        s3Sse != null ? encryption(s3Sse) : s3KmsKeyId != null ? S3Sink.Encryption.KMS : null;
    if (encryption != null) {
      s3.serverSideEncryption(encryption);
    }
    if (s3KmsKeyId != null) {
      if (encryption != S3Sink.Encryption.KMS) {
        throw new IllegalArgumentException(
            "Invalid --s3-kms-key-id with --s3-sse " + s3Sse + ": a KMS key needs --s3-sse kms");
      }
      s3.kmsKeyId(s3KmsKeyId);
    }
    return s3.build();
  }

  private static S3Sink.Encryption encryption(String text) {
    switch (text.toLowerCase(Locale.ROOT)) {
      case "bucket-default":
        return S3Sink.Encryption.BUCKET_DEFAULT;
      case "aes256":
      case "s3":
        return S3Sink.Encryption.S3_MANAGED;
      case "kms":
      case "aws:kms":
        return S3Sink.Encryption.KMS;
      default:
        throw new IllegalArgumentException(
            "Invalid --s3-sse '" + text + "': use bucket-default, aes256 or kms");
    }
  }
}
