package dev.parquetingest.sink.s3;

import dev.parquetingest.common.DataSize;
import dev.parquetingest.common.IngestException;
import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.StagedOutput;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link Sink} that writes each file to one object in an Amazon S3 bucket or an S3-compatible
 * store, under the key {@code <prefix>/<name>}.
 *
 * <pre>{@code
 * try (S3Sink sink = S3Sink.builder(URI.create("s3://my-bucket/reviews"))
 *         .region("eu-west-1")
 *         .build()) {
 *   ParquetIngest.builder().source(source).sink(sink).run();
 *   System.out.println(sink.metrics());
 * }
 * }</pre>
 *
 * <p><b>Streaming and memory.</b> Bytes written to a {@link StagedOutput#stream()} are cut into
 * parts of {@link Builder#partSize} bytes. The first full part starts a multipart upload, and each
 * full part is uploaded in the background while the encoder keeps writing. At most {@link
 * Builder#maxPartsInFlight} parts of one file are being uploaded at once; a writer that gets
 * further ahead blocks until a part finishes. A file therefore holds at most {@code
 * (maxPartsInFlight + 1) * partSize} bytes of heap, whatever its size. Part buffers start at 64KB
 * and grow with the data, so a file that has written little holds little: many files open at once
 * (one per partition) cost about what they have written, not a part each. {@link
 * StagedOutput#bufferedBytes()} reports what a file holds, for the runtime's memory budget. A file
 * smaller than one part is sent as a single {@code PutObject} when it is committed.
 *
 * <p><b>Atomicity.</b> An object becomes visible only at {@link StagedOutput#commit()}, by {@code
 * CompleteMultipartUpload} or the single {@code PutObject}; readers never see part of a file.
 * {@link StagedOutput#abort()} sends {@code AbortMultipartUpload}. A process that dies in between
 * leaves an incomplete multipart upload behind (invisible, but stored and billed): give the bucket
 * a lifecycle rule that aborts incomplete uploads after a day or so. With {@link
 * Builder#ifNoneMatch} on (the default) a commit never replaces an existing object; it fails
 * instead, so a replayed run cannot overwrite what an earlier one wrote.
 *
 * <p><b>Retries.</b> Every request is retried with exponential backoff and full jitter on 5xx
 * responses, throttling ({@code SlowDown}), timeouts and broken connections, up to {@link
 * Builder#maxAttempts} attempts. Any other error, or running out of attempts, fails that file: the
 * upload is aborted and an {@link IngestException} names the bucket, the key and the S3 error code.
 *
 * <p><b>Credentials</b> come from the SDK's default chain (environment, system properties, profile,
 * container or instance role) unless {@link Builder#credentialsProvider} is set. They are never
 * logged or put into messages.
 *
 * <p>Thread-safe: files may be staged from several threads at once; each {@link StagedOutput} is
 * used by one thread. Lifecycle: {@link #close()} (idempotent) releases the HTTP connections and
 * the upload threads; staged files must be committed or aborted before.
 */
public final class S3Sink implements Sink {
  /** Part size unless set: large enough for throughput, small enough for memory. */
  public static final DataSize DEFAULT_PART_SIZE = DataSize.ofMegabytes(8);

  /** The smallest part S3 accepts (except for the last part of an upload). */
  public static final DataSize MIN_PART_SIZE = DataSize.ofMegabytes(5);

  /** The largest part this sink buffers: a part lives in one heap array. */
  public static final DataSize MAX_PART_SIZE = DataSize.ofMegabytes(1024);

  /** Parts of one file uploaded concurrently unless set. */
  public static final int DEFAULT_MAX_PARTS_IN_FLIGHT = 4;

  /** Attempts per request (the first try included) unless set. */
  public static final int DEFAULT_MAX_ATTEMPTS = 8;

  /** Backoff before the first retry of a failed request: the base of the exponential delay. */
  public static final Duration DEFAULT_RETRY_BASE_DELAY = Duration.ofMillis(100);

  /** The longest backoff between two attempts. */
  public static final Duration DEFAULT_RETRY_MAX_DELAY = Duration.ofSeconds(20);

  /** How long one attempt of one request may take unless set. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(2);

  /** The region used with an {@link Builder#endpointOverride} when none is set. */
  public static final String DEFAULT_REGION_FOR_ENDPOINT = "us-east-1";

  /** The most parts one multipart upload may have. */
  static final int MAX_PARTS = 10_000;

  /** The longest key S3 accepts, in UTF-8 bytes. */
  static final int MAX_KEY_BYTES = 1024;

  /** User metadata naming the upload that wrote an object, to resolve an ambiguous commit. */
  static final String UPLOAD_TOKEN_METADATA = "parquet-ingest-upload";

  /** How the name of a temporary file (an incomplete upload) ends, as for the local sink. */
  private static final String INPROGRESS = ".inprogress";

  /** Upload ids go into temporary names in URL-safe Base64, so no id character can break one. */
  private static final java.util.Base64.Encoder UPLOAD_ID =
      java.util.Base64.getUrlEncoder().withoutPadding();

  private static final java.util.Base64.Decoder UPLOAD_ID_DECODER =
      java.util.Base64.getUrlDecoder();

  private final Builder config;
  private final S3Client client;
  private final ExecutorService uploads;
  private final Metrics metrics;
  private final String prefix;
  private volatile boolean closed;

  private S3Sink(Builder b) {
    this.config = b.copy();
    this.prefix = b.prefix;
    this.metrics = new Metrics();
    try {
      this.client = newClient(b, metrics);
    } catch (SdkException e) {
      throw new IngestException(
          "Cannot create an S3 client for " + location(b.bucket, b.prefix) + ": " + e.getMessage(),
          e);
    }
    this.uploads = newUploadPool(b.maxPartsInFlight);
  }

  /** A builder with nothing set; {@link Builder#bucket} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder for a location such as {@code s3://bucket/some/prefix}.
   *
   * @throws IllegalArgumentException if it is not an {@code s3://} URI with a bucket
   */
  public static Builder builder(URI location) {
    return new Builder().location(location);
  }

  @Override
  public String describe() {
    return location(config.bucket, prefix);
  }

  /** The bucket files go to. */
  public String bucket() {
    return config.bucket;
  }

  /** The key prefix, without leading or trailing slash; empty for the bucket's root. */
  public String prefix() {
    return prefix;
  }

  /**
   * The key a file name maps to: {@code <prefix>/<name>}.
   *
   * @throws IllegalArgumentException if the name is empty, absolute, has an empty, {@code .} or
   *     {@code ..} segment or a control character, or the key would be too long
   */
  public String keyFor(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.startsWith("/") || name.endsWith("/")) {
      throw new IllegalArgumentException(
          "Invalid file name '" + name + "': must be a relative name such as a.parquet");
    }
    for (String segment : name.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException(
            "Invalid file name '" + name + "': empty, '.' and '..' path segments are not allowed");
      }
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        throw new IllegalArgumentException(
            "Invalid file name '"
                + name.replaceAll("\\p{Cntrl}", "?")
                + "': control characters are not allowed");
      }
    }
    String key = prefix.isEmpty() ? name : prefix + "/" + name;
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "Invalid file name '" + name + "': the key would exceed " + MAX_KEY_BYTES + " bytes");
    }
    return key;
  }

  /**
   * Starts a file. Nothing is sent to S3 until the first part is full or the file is committed.
   *
   * @throws IngestException if the name is not valid or the sink is closed
   */
  @Override
  public StagedOutput create(String name) {
    return create(name, false);
  }

  /**
   * Starts a file that, if {@code replace}, replaces the object under its key when committed: the
   * commit then sends no {@code If-None-Match}, and S3 swaps the object atomically (readers see the
   * old object or the new one, never neither).
   *
   * @throws IngestException if the name is not valid or the sink is closed
   */
  @Override
  public StagedOutput create(String name, boolean replace) {
    if (closed) {
      throw new IllegalStateException("Cannot create '" + name + "' in " + describe() + ": closed");
    }
    String key;
    try {
      key = keyFor(name);
    } catch (IllegalArgumentException e) {
      throw new IngestException(
          "Cannot create '" + name + "' in " + describe() + ": " + e.getMessage(), e);
    }
    return new S3StagedOutput(this, key, config.ifNoneMatch && !replace);
  }

  /**
   * Whether an object exists under the file's key ({@code HeadObject}).
   *
   * <p>Without {@code s3:ListBucket} permission S3 answers 403, not 404, for a missing key. With
   * {@link Builder#ifNoneMatch} on, that counts as "not there": the commit would refuse to replace
   * an existing object anyway, so write-only credentials can still be used.
   *
   * @throws IngestException if S3 cannot tell, e.g. the bucket does not exist, or access is denied
   *     and {@code ifNoneMatch} is off
   */
  @Override
  public boolean exists(String name) {
    String key = keyFor(name);
    try {
      return head(key) != null;
    } catch (IngestException e) {
      if (config.ifNoneMatch && S3Errors.status(e.getCause()) == 403) {
        return false;
      }
      throw e;
    }
  }

  /**
   * True: {@link #list}, {@link #delete}, {@link #size} and {@link #readTail} work, given {@code
   * s3:ListBucket}, {@code s3:GetObject}, {@code s3:DeleteObject} and {@code
   * s3:ListBucketMultipartUploads} / {@code s3:AbortMultipartUpload} permissions.
   */
  @Override
  public boolean listable() {
    return true;
  }

  /**
   * The objects under the prefix ({@code ListObjectsV2}, every page) and, as temporary files, the
   * incomplete multipart uploads a killed process left there ({@code ListMultipartUploads}): an
   * upload of {@code dir/a.parquet} is listed as {@code dir/.a.parquet.<id>.inprogress}, which
   * {@link #delete} aborts. Without permission to list uploads (403) only the objects are listed.
   *
   * @throws IngestException naming the bucket and prefix if S3 refuses the listing
   */
  @Override
  public java.util.List<String> list(java.util.function.Predicate<String> fileName) {
    String root = prefix.isEmpty() ? "" : prefix + "/";
    java.util.List<String> names = new java.util.ArrayList<>();
    try {
      String token = null;
      do {
        String continuation = token;
        ListObjectsV2Response page =
            call(
                () ->
                    client.listObjectsV2(
                        r -> r.bucket(config.bucket).prefix(root).continuationToken(continuation)));
        for (S3Object o : page.contents()) {
          addIfPasses(names, o.key().substring(root.length()), fileName);
        }
        token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
      } while (token != null);
    } catch (SdkException e) {
      throw S3Errors.failure("list", config.bucket, prefix, e);
    }
    try {
      String keyMarker = null;
      String idMarker = null;
      while (true) {
        String k = keyMarker;
        String id = idMarker;
        ListMultipartUploadsResponse page =
            call(
                () ->
                    client.listMultipartUploads(
                        r -> r.bucket(config.bucket).prefix(root).keyMarker(k).uploadIdMarker(id)));
        for (MultipartUpload u : page.uploads()) {
          String name = u.key().substring(root.length());
          int slash = name.lastIndexOf('/');
          String temp =
              name.substring(0, slash + 1)
                  + "."
                  + name.substring(slash + 1)
                  + "."
                  + UPLOAD_ID.encodeToString(u.uploadId().getBytes(StandardCharsets.UTF_8))
                  + INPROGRESS;
          addIfPasses(names, temp, fileName);
        }
        if (!Boolean.TRUE.equals(page.isTruncated())) {
          break;
        }
        keyMarker = page.nextKeyMarker();
        idMarker = page.nextUploadIdMarker();
      }
    } catch (SdkException e) {
      if (S3Errors.status(e) != 403) {
        throw S3Errors.failure("list the uploads under", config.bucket, prefix, e);
      }
    }
    return names;
  }

  private static void addIfPasses(
      java.util.List<String> names, String name, java.util.function.Predicate<String> fileName) {
    if (!name.isEmpty() && !name.endsWith("/")) {
      if (fileName.test(name.substring(name.lastIndexOf('/') + 1))) {
        names.add(name);
      }
    }
  }

  /**
   * Removes the object ({@code DeleteObject}; S3 has no directories to remove), or, for a temporary
   * name from {@link #list}, aborts that multipart upload. Nothing there is not an error.
   *
   * @throws IngestException naming the key if S3 refuses
   */
  @Override
  public void delete(String name) {
    String key = keyFor(name);
    String upload = uploadOf(name);
    try {
      if (upload != null) {
        String uploadKey = keyFor(upload.substring(upload.indexOf('\n') + 1));
        String id = upload.substring(0, upload.indexOf('\n'));
        try {
          call(
              () ->
                  client.abortMultipartUpload(
                      r -> r.bucket(config.bucket).key(uploadKey).uploadId(id)));
        } catch (S3Exception e) {
          if (e.statusCode() != 404) {
            throw S3Errors.failure("abort the upload of", config.bucket, uploadKey, e);
          }
        }
        return;
      }
      call(() -> client.deleteObject(r -> r.bucket(config.bucket).key(key)));
    } catch (SdkException e) {
      throw S3Errors.failure("remove", config.bucket, key, e);
    }
  }

  /**
   * For {@code dir/.a.parquet.<id>.inprogress}: the upload id, a newline, {@code dir/a.parquet}.
   */
  private static String uploadOf(String name) {
    int slash = name.lastIndexOf('/');
    String own = name.substring(slash + 1);
    if (!own.startsWith(".") || !own.endsWith(INPROGRESS)) {
      return null;
    }
    String middle = own.substring(1, own.length() - INPROGRESS.length());
    int dot = middle.lastIndexOf('.');
    if (dot <= 0) {
      return null;
    }
    String id;
    try {
      id = new String(UPLOAD_ID_DECODER.decode(middle.substring(dot + 1)), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    return id + "\n" + name.substring(0, slash + 1) + middle.substring(0, dot);
  }

  /**
   * The size of the object ({@code HeadObject}).
   *
   * @throws IngestException naming the key if there is none or S3 refuses
   */
  @Override
  public long size(String name) {
    String key = keyFor(name);
    HeadObjectResponse head = head(key);
    if (head == null) {
      throw new IngestException(
          "Cannot read " + location(config.bucket, key) + ": there is no such object");
    }
    return head.contentLength();
  }

  /**
   * The object's last {@code length} bytes, by one ranged {@code GetObject} ({@code Range:
   * bytes=-length}); all of it if shorter.
   *
   * @throws IngestException naming the key if there is none or S3 refuses
   */
  @Override
  public byte[] readTail(String name, int length) {
    String key = keyFor(name);
    if (length <= 0) {
      return new byte[0];
    }
    try {
      return call(
          () ->
              client
                  .getObjectAsBytes(r -> r.bucket(config.bucket).key(key).range("bytes=-" + length))
                  .asByteArray());
    } catch (S3Exception e) {
      if (e.statusCode() == 416) {
        return new byte[0]; // an empty object has no suffix range
      }
      if (e.statusCode() == 404) {
        throw new IngestException(
            "Cannot read " + location(config.bucket, key) + ": there is no such object", e);
      }
      throw S3Errors.failure("read", config.bucket, key, e);
    } catch (SdkException e) {
      throw S3Errors.failure("read", config.bucket, key, e);
    }
  }

  /** The object's metadata, or null if there is none under the key. */
  HeadObjectResponse head(String key) {
    try {
      return call(() -> client.headObject(r -> r.bucket(config.bucket).key(key)));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return null;
      }
      throw S3Errors.failure("look up", config.bucket, key, e);
    } catch (SdkException e) {
      throw S3Errors.failure("look up", config.bucket, key, e);
    }
  }

  /** {@link #metrics()} as flat counters, for the run report. */
  @Override
  public java.util.Map<String, Long> counters() {
    return metrics().toMap();
  }

  /** {@link #metrics()} as typed counters, for the live metrics. */
  @Override
  public dev.parquetingest.spi.SinkCounters sinkCounters() {
    return metrics().toSinkCounters();
  }

  /** What this sink sent to S3 so far: requests by kind, retries, bytes, files. */
  public S3SinkMetrics metrics() {
    return metrics.snapshot();
  }

  /**
   * Releases the HTTP connections and the upload threads. Idempotent. Files still open are not
   * committed; their uploads fail.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    // Requests still queued never run: cancel them, so that whoever waits for one is told.
    for (Runnable queued : uploads.shutdownNow()) {
      if (queued instanceof Future<?> f) {
        f.cancel(false);
      }
    }
    client.close();
  }

  @Override
  public String toString() {
    return "S3Sink{" + describe() + "}";
  }

  S3Client client() {
    return client;
  }

  /**
   * Runs one SDK call on an upload thread and waits for it. The SDK enforces {@code requestTimeout}
   * by interrupting the thread that makes the call; that must never be the caller's thread, whose
   * interrupt status an encoder's channels would trip over.
   *
   * @throws SdkException as the call threw it
   * @throws IngestException if the caller is interrupted while waiting, or the sink is closed
   */
  <T> T call(Supplier<T> request) {
    Future<T> future;
    try {
      future = uploads.submit(request::get);
    } catch (RejectedExecutionException e) {
      throw new IngestException(
          "Cannot send a request to " + describe() + ": the sink is closed", e);
    }
    try {
      return future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new IngestException("Cannot send a request to " + describe() + ": " + cause, cause);
    } catch (CancellationException e) {
      throw new IngestException(
          "Cannot send a request to " + describe() + ": the sink is closed", e);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new IngestException("Cannot send a request to " + describe() + ": interrupted", e);
    }
  }

  ExecutorService uploads() {
    return uploads;
  }

  Metrics metricsCollector() {
    return metrics;
  }

  Builder config() {
    return config;
  }

  static String location(String bucket, String key) {
    return "s3://" + bucket + (key == null || key.isEmpty() ? "" : "/" + key);
  }

  private static S3Client newClient(Builder b, Metrics metrics) {
    RetryStrategy retries =
        AwsRetryStrategy.standardRetryStrategy().toBuilder()
            .maxAttempts(b.maxAttempts)
            .backoffStrategy(BackoffStrategy.exponentialDelay(b.retryBaseDelay, b.retryMaxDelay))
            .throttlingBackoffStrategy(
                BackoffStrategy.exponentialDelay(b.retryBaseDelay.multipliedBy(5), b.retryMaxDelay))
            .retryOnExceptionOrCauseInstanceOf(ApiCallAttemptTimeoutException.class)
            // A batch job should not stop retrying because other requests failed before.
            .circuitBreakerEnabled(false)
            .build();
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClientBuilder(
                Apache5HttpClient.builder()
                    .maxConnections(Math.max(16, 2 * b.maxPartsInFlight + 4))
                    .connectionTimeout(min(b.requestTimeout, Duration.ofSeconds(10)))
                    .socketTimeout(b.requestTimeout))
            .credentialsProvider(
                b.credentialsProvider != null
                    ? b.credentialsProvider
                    : DefaultCredentialsProvider.builder().build())
            .forcePathStyle(b.pathStyleAccess)
            // Parts carry Content-MD5, which S3 checks; this avoids aws-chunked trailers, which
            // some S3-compatible stores do not understand.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .overrideConfiguration(
                o ->
                    o.retryStrategy(retries)
                        .apiCallAttemptTimeout(b.requestTimeout)
                        .addExecutionInterceptor(metrics));
    if (b.endpointOverride != null) {
      builder.endpointOverride(b.endpointOverride);
    }
    if (b.region != null) {
      builder.region(Region.of(b.region));
    } else if (b.endpointOverride != null) {
      builder.region(Region.of(DEFAULT_REGION_FOR_ENDPOINT));
    }
    return builder.build();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static ExecutorService newUploadPool(int threads) {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, "s3-sink-upload-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** Server-side encryption of the objects written. */
  public enum Encryption {
    /** Whatever the bucket's default is (S3 encrypts with S3-managed keys by default). */
    BUCKET_DEFAULT,
    /** SSE-S3: keys managed by S3 ({@code AES256}). */
    S3_MANAGED,
    /** SSE-KMS: a key in AWS KMS, the account's default unless {@link Builder#kmsKeyId} is set. */
    KMS
  }

  /**
   * Configures an {@link S3Sink}. Setters check their value at once and throw {@link
   * IllegalArgumentException} naming the option and the value; {@link #build()} checks that the
   * options agree. Not thread-safe.
   */
  public static final class Builder {
    private String bucket;
    private String prefix = "";
    private String region;
    private URI endpointOverride;
    private boolean pathStyleAccess;
    private long partSize = DEFAULT_PART_SIZE.toBytes();
    private int maxPartsInFlight = DEFAULT_MAX_PARTS_IN_FLIGHT;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration retryBaseDelay = DEFAULT_RETRY_BASE_DELAY;
    private Duration retryMaxDelay = DEFAULT_RETRY_MAX_DELAY;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private boolean ifNoneMatch = true;
    private Encryption encryption = Encryption.BUCKET_DEFAULT;
    private String kmsKeyId;
    private AwsCredentialsProvider credentialsProvider;

    private Builder() {}

    private Builder copy() {
      Builder b = new Builder();
      b.bucket = bucket;
      b.prefix = prefix;
      b.region = region;
      b.endpointOverride = endpointOverride;
      b.pathStyleAccess = pathStyleAccess;
      b.partSize = partSize;
      b.maxPartsInFlight = maxPartsInFlight;
      b.maxAttempts = maxAttempts;
      b.retryBaseDelay = retryBaseDelay;
      b.retryMaxDelay = retryMaxDelay;
      b.requestTimeout = requestTimeout;
      b.ifNoneMatch = ifNoneMatch;
      b.encryption = encryption;
      b.kmsKeyId = kmsKeyId;
      b.credentialsProvider = credentialsProvider;
      return b;
    }

    /** Sets bucket and prefix from {@code s3://bucket/prefix} (the prefix may be empty). */
    public Builder location(URI location) {
      Objects.requireNonNull(location, "location");
      if (!"s3".equalsIgnoreCase(location.getScheme())
          || location.getHost() == null
          || location.getQuery() != null
          || location.getFragment() != null) {
        throw new IllegalArgumentException(
            "Invalid location '" + location + "': expected s3://bucket or s3://bucket/prefix");
      }
      bucket(location.getHost());
      String path = location.getPath();
      return prefix(path == null ? "" : path);
    }

    /** The bucket. Required. */
    public Builder bucket(String bucket) {
      if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.\\-_]{1,254}")) {
        throw new IllegalArgumentException(
            "Invalid bucket '"
                + bucket
                + "': use 3 to 255 lower-case letters, digits, '.', '-' or '_'");
      }
      this.bucket = bucket;
      return this;
    }

    /**
     * The key prefix every file goes under, e.g. {@code warehouse/reviews}; leading and trailing
     * slashes are dropped. Default: none, the bucket's root.
     */
    public Builder prefix(String prefix) {
      Objects.requireNonNull(prefix, "prefix");
      String p = prefix;
      while (p.startsWith("/")) {
        p = p.substring(1);
      }
      while (p.endsWith("/")) {
        p = p.substring(0, p.length() - 1);
      }
      if (!p.isEmpty()) {
        for (String segment : p.split("/", -1)) {
          if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
            throw new IllegalArgumentException(
                "Invalid prefix '" + prefix + "': empty, '.' and '..' segments are not allowed");
          }
        }
        if (p.chars().anyMatch(Character::isISOControl)) {
          throw new IllegalArgumentException(
              "Invalid prefix '" + prefix + "': control characters are not allowed");
        }
      }
      this.prefix = p;
      return this;
    }

    /**
     * The bucket's region, e.g. {@code eu-west-1}. Default: from the SDK's region chain
     * (environment, profile, instance metadata), or {@value S3Sink#DEFAULT_REGION_FOR_ENDPOINT}
     * with an {@link #endpointOverride}.
     */
    public Builder region(String region) {
      if (region == null || !region.matches("[a-z0-9][a-z0-9-]{0,62}")) {
        throw new IllegalArgumentException(
            "Invalid region '" + region + "': expected a name such as eu-west-1");
      }
      this.region = region;
      return this;
    }

    /**
     * Where to send requests instead of AWS, for S3-compatible stores (MinIO, Ceph, ...) or a VPC
     * endpoint, e.g. {@code http://127.0.0.1:9000}. Default: AWS's endpoint for the region.
     */
    public Builder endpointOverride(URI endpoint) {
      Objects.requireNonNull(endpoint, "endpointOverride");
      String scheme = endpoint.getScheme();
      if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
          || endpoint.getHost() == null) {
        throw new IllegalArgumentException(
            "Invalid endpointOverride '" + endpoint + "': expected http(s)://host[:port]");
      }
      this.endpointOverride = endpoint;
      return this;
    }

    /**
     * Whether to put the bucket in the path ({@code host/bucket/key}) rather than the host name
     * ({@code bucket.host/key}). Most S3-compatible stores need this. Default false.
     */
    public Builder pathStyleAccess(boolean pathStyle) {
      this.pathStyleAccess = pathStyle;
      return this;
    }

    /**
     * Size of each uploaded part, and the size a file's buffers grow to. Larger parts mean fewer
     * requests and more heap for large files; S3 allows 10,000 parts, so this also caps the size of
     * a file (8MB parts: about 78GB). Between {@link #MIN_PART_SIZE} and {@link #MAX_PART_SIZE}.
     * Default {@link #DEFAULT_PART_SIZE}.
     */
    public Builder partSize(DataSize size) {
      Objects.requireNonNull(size, "partSize");
      if (size.compareTo(MIN_PART_SIZE) < 0 || size.compareTo(MAX_PART_SIZE) > 0) {
        throw new IllegalArgumentException(
            "Invalid partSize "
                + size
                + ": must be between "
                + MIN_PART_SIZE
                + " and "
                + MAX_PART_SIZE);
      }
      this.partSize = size.toBytes();
      return this;
    }

    /**
     * How many parts of one file may be uploading at once, which is also the number of upload
     * threads. More helps on links with high latency; each costs one part of heap. 1 to 64. Default
     * {@value #DEFAULT_MAX_PARTS_IN_FLIGHT}.
     */
    public Builder maxPartsInFlight(int parts) {
      if (parts < 1 || parts > 64) {
        throw new IllegalArgumentException(
            "Invalid maxPartsInFlight " + parts + ": must be between 1 and 64");
      }
      this.maxPartsInFlight = parts;
      return this;
    }

    /**
     * Attempts per request, the first included; 1 turns retries off. 1 to 100. Default {@value
     * #DEFAULT_MAX_ATTEMPTS}.
     */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1 || attempts > 100) {
        throw new IllegalArgumentException(
            "Invalid maxAttempts " + attempts + ": must be between 1 and 100");
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * The exponential backoff between attempts: the n-th retry waits a random time up to {@code
     * base * 2^n}, capped at {@code max} (throttling waits five times the base). Default {@link
     * #DEFAULT_RETRY_BASE_DELAY} and {@link #DEFAULT_RETRY_MAX_DELAY}.
     */
    public Builder retryBackoff(Duration base, Duration max) {
      Objects.requireNonNull(base, "retryBackoff base");
      Objects.requireNonNull(max, "retryBackoff max");
      if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
        throw new IllegalArgumentException(
            "Invalid retryBackoff " + base + ".." + max + ": base must be positive and <= max");
      }
      this.retryBaseDelay = base;
      this.retryMaxDelay = max;
      return this;
    }

    /**
     * How long one attempt of a request may take, and how long a connection may stay silent, before
     * it counts as timed out and is retried. Raise it for large parts on slow links. Default {@link
     * #DEFAULT_REQUEST_TIMEOUT}.
     */
    public Builder requestTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "requestTimeout");
      if (timeout.toMillis() < 100) {
        throw new IllegalArgumentException(
            "Invalid requestTimeout " + timeout + ": must be at least 100ms");
      }
      this.requestTimeout = timeout;
      return this;
    }

    /**
     * Whether commits send {@code If-None-Match: *}, so that an existing object is never replaced:
     * the commit fails instead. Turn off only for stores that reject the header. Default true.
     */
    public Builder ifNoneMatch(boolean enabled) {
      this.ifNoneMatch = enabled;
      return this;
    }

    /** Server-side encryption of new objects. Default {@link Encryption#BUCKET_DEFAULT}. */
    public Builder serverSideEncryption(Encryption encryption) {
      this.encryption = Objects.requireNonNull(encryption, "serverSideEncryption");
      return this;
    }

    /** The KMS key (id, alias or ARN) for {@link Encryption#KMS}. Default: the account's S3 key. */
    public Builder kmsKeyId(String keyId) {
      if (keyId == null || keyId.isBlank()) {
        throw new IllegalArgumentException("Invalid kmsKeyId '" + keyId + "': must not be blank");
      }
      this.kmsKeyId = keyId;
      return this;
    }

    /**
     * Where credentials come from. Default: the SDK's default chain. Credentials are never logged.
     */
    public Builder credentialsProvider(AwsCredentialsProvider provider) {
      this.credentialsProvider = Objects.requireNonNull(provider, "credentialsProvider");
      return this;
    }

    String bucket() {
      return bucket;
    }

    long partSize() {
      return partSize;
    }

    int maxPartsInFlight() {
      return maxPartsInFlight;
    }

    boolean ifNoneMatch() {
      return ifNoneMatch;
    }

    Encryption encryption() {
      return encryption;
    }

    String kmsKeyId() {
      return kmsKeyId;
    }

    /**
     * Creates the sink and its S3 client. Nothing is sent to S3 yet.
     *
     * @throws IllegalStateException if the bucket is missing or options disagree
     * @throws IngestException if the S3 client cannot be created, e.g. no region can be found
     */
    public S3Sink build() {
      if (bucket == null) {
        throw new IllegalStateException("Cannot build S3Sink: no bucket set");
      }
      if (kmsKeyId != null && encryption != Encryption.KMS) {
        throw new IllegalStateException(
            "Cannot build S3Sink: kmsKeyId is set but serverSideEncryption is "
                + encryption.name().toLowerCase(Locale.ROOT)
                + ", not kms");
      }
      return new S3Sink(this);
    }
  }
}
