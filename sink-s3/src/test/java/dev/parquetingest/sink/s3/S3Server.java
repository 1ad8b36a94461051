package dev.parquetingest.sink.s3;

import dev.parquetingest.testing.LocalServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An in-process S3-compatible server (s3proxy over a transient in-memory store) on 127.0.0.1 and a
 * random port, with a plain client to set up and inspect buckets. Started once per test JVM by
 * {@link S3ServerExtension}. Thread-safe. Public for other modules' tests, through this module's
 * test-jar.
 */
public final class S3Server implements AutoCloseable {
  public static final String ACCESS_KEY = "test-access-key";
  public static final String SECRET_KEY = "test-secret-key-never-logged";

  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private final S3Proxy proxy;
  private final URI endpoint;
  private final S3Client admin;

  S3Server() throws Exception {
    proxy =
        S3Proxy.builder()
            .blobStore(new TransientNio2BlobStore())
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .endpoint(URI.create("http://127.0.0.1:0"))
            .ignoreUnknownHeaders(true)
            .build();
    proxy.start();
    LocalServers.awaitReady(
        "s3proxy",
        Duration.ofSeconds(20),
        () -> "STARTED".equals(proxy.getState()),
        () -> "state " + proxy.getState());
    endpoint = URI.create("http://" + LocalServers.HOST + ":" + proxy.getPort());
    admin =
        S3Client.builder()
            .httpClientBuilder(Apache5HttpClient.builder())
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(credentials())
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .build();
  }

  public static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
  }

  public URI endpoint() {
    return endpoint;
  }

  /** A client for the test's own checks, not the one under test. */
  public S3Client admin() {
    return admin;
  }

  /** Creates a new, empty bucket. */
  public String newBucket() {
    String name = "bucket-" + BUCKETS.incrementAndGet();
    admin.createBucket(r -> r.bucket(name));
    return name;
  }

  /** A sink builder for the bucket and prefix, talking to {@code endpoint}. */
  public static S3Sink.Builder sink(URI endpoint, String bucket, String prefix) {
    return S3Sink.builder()
        .bucket(bucket)
        .prefix(prefix)
        .endpointOverride(endpoint)
        .region("us-east-1")
        .pathStyleAccess(true)
        .credentialsProvider(credentials())
        .partSize(S3Sink.MIN_PART_SIZE)
        .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(200))
        .requestTimeout(Duration.ofSeconds(10));
  }

  public S3Sink.Builder sink(String bucket, String prefix) {
    return sink(endpoint, bucket, prefix);
  }

  /** Keys of every object in the bucket, sorted. */
  public List<String> keys(String bucket) {
    List<String> keys = new ArrayList<>();
    for (S3Object o : admin.listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
      keys.add(o.key());
    }
    keys.sort(null);
    return keys;
  }

  /** Multipart uploads started and neither completed nor aborted. */
  public List<MultipartUpload> uploads(String bucket) {
    return admin.listMultipartUploads(r -> r.bucket(bucket)).uploads();
  }

  public byte[] get(String bucket, String key) {
    return admin.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
  }

  /** Downloads every object whose key ends with the suffix into the directory. */
  public List<Path> download(String bucket, String suffix, Path dir) {
    List<Path> files = new ArrayList<>();
    for (String key : keys(bucket)) {
      if (key.endsWith(suffix)) {
        Path file = dir.resolve(key.replace('/', '_'));
        try {
          Files.write(file, get(bucket, key));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        files.add(file);
      }
    }
    return files;
  }

  @Override
  public void close() {
    admin.close();
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot stop s3proxy: " + e, e);
    }
  }
}
