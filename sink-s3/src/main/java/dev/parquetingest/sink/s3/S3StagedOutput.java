package dev.parquetingest.sink.s3;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.spi.StagedOutput;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * One object being written by an {@link S3Sink}: bytes are gathered into part buffers; each full
 * buffer becomes a part of a multipart upload (started with the first full buffer) and is sent by
 * the sink's upload threads while the writer fills the next. At most {@code maxPartsInFlight + 1}
 * buffers exist at once: when all are taken, the writer waits for an upload to finish.
 *
 * <p>A buffer starts at {@value #INITIAL_BUFFER} bytes (or the size of the write that needs it) and
 * doubles as bytes arrive, up to {@code partSize}: a file that has written only its magic holds
 * {@value #INITIAL_BUFFER} bytes, not a whole part, which matters when hundreds of partitions have
 * a file open each. It is one array grown by copying rather than a list of chunks because a part
 * goes out as one contiguous body, whose Content-MD5 is computed first and which the SDK replays on
 * retries, and because a full array can be handed to the next part as it is. Doubling copies each
 * byte about once more (the copies of one part add up to less than {@code partSize}) and leaves at
 * most half of the growing buffer unused; chunks would avoid both at the price of a stitched body,
 * digest and reuse. A buffer whose part is uploaded goes straight to the writer if it is waiting
 * for one (it would fill it anyway); otherwise it is dropped, so no idle buffers are kept. {@link
 * #bufferedBytes()} is the capacity of every buffer held: the one being filled and those of parts
 * queued or uploading.
 *
 * <p>Commit sends the last part (or the whole file as one {@code PutObject} if no part was full),
 * waits for every part and completes the upload. Each object carries a random token in its user
 * metadata, so a commit whose response was lost, and whose retry was refused ({@code NoSuchUpload}
 * or {@code 412}), can tell whether its own earlier attempt succeeded.
 *
 * <p>Not thread-safe: one thread writes, commits or aborts. The upload threads only touch the
 * buffer they were given and, under {@link #lock}, the hand-over slot and the counters; {@link
 * #bufferedBytes()} may be read from any thread.
 */
final class S3StagedOutput implements StagedOutput {
  private enum State {
    OPEN,
    COMMITTED,
    ABORTED
  }

  /** Capacity of a new part buffer, unless the write that needs it is larger. */
  static final int INITIAL_BUFFER = 64 * 1024;

  private final S3Sink sink;
  private final String bucket;
  private final String key;
  private final int partSize;
  private final int maxBuffers;
  private final String token = UUID.randomUUID().toString();
  private final PartStream stream = new PartStream();

  private final Object lock = new Object();
  // Guarded by lock: buffers held (the one being filled, parts queued or uploading, handedOver),
  // the most held at once, whether the writer waits for a buffer, and the buffer of a finished
  // part given to it.
  private int buffers;
  private int peakBuffers;
  private boolean writerWaiting;
  private byte[] handedOver;
  private int running;
  private Throwable partFailure;

  /** The capacity of every buffer counted in {@link #buffers}; read without the lock. */
  private final AtomicLong heldBytes = new AtomicLong();

  private final List<Part> parts = new ArrayList<>();
  private byte[] current;
  private int filled;
  private String uploadId;
  private int nextPartNumber = 1;
  private volatile State state = State.OPEN;

  /** Whether commits send {@code If-None-Match: *}: off when this file replaces another. */
  private final boolean ifNoneMatch;

  S3StagedOutput(S3Sink sink, String key, boolean ifNoneMatch) {
    this.sink = sink;
    this.ifNoneMatch = ifNoneMatch;
    this.bucket = sink.bucket();
    this.key = key;
    this.partSize = Math.toIntExact(sink.config().partSize());
    this.maxBuffers = sink.config().maxPartsInFlight() + 1;
  }

  @Override
  public OutputStream stream() {
    return stream;
  }

  @Override
  public String location() {
    return S3Sink.location(bucket, key);
  }

  /** The object key. */
  String key() {
    return key;
  }

  /** The multipart upload's id, or null while none was started. */
  String uploadId() {
    return uploadId;
  }

  /** The most part buffers held at once so far: never more than {@code maxPartsInFlight + 1}. */
  int peakBuffers() {
    synchronized (lock) {
      return peakBuffers;
    }
  }

  /**
   * The capacity of the buffer being filled plus the buffers of parts queued or uploading: at most
   * {@code (maxPartsInFlight + 1) * partSize}, and 0 once committed or aborted. Lock-free.
   */
  @Override
  public long bufferedBytes() {
    return heldBytes.get();
  }

  @Override
  public void commit() {
    if (state != State.OPEN) {
      throw new IllegalStateException(
          "Cannot commit " + location() + ": already " + state.name().toLowerCase(Locale.ROOT));
    }
    try {
      if (uploadId == null) {
        putWhole();
      } else {
        if (filled > 0) {
          submitPart();
        }
        completeUpload(awaitParts());
      }
      state = State.COMMITTED;
      sink.metricsCollector().committed();
      releaseBuffers();
    } catch (IngestException e) {
      abortAfterFailure(e);
      throw e;
    } catch (IOException | RuntimeException e) {
      IngestException failure =
          new IngestException("Cannot commit " + location() + ": " + e.getMessage(), e);
      abortAfterFailure(failure);
      throw failure;
    }
  }

  @Override
  public void abort() {
    if (state != State.OPEN) {
      return;
    }
    state = State.ABORTED;
    sink.metricsCollector().aborted();
    try {
      cancelParts();
      if (uploadId != null) {
        abortUpload();
      }
    } finally {
      releaseBuffers();
    }
  }

  private void abortAfterFailure(IngestException failure) {
    try {
      abort();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  // ---- writing

  private void write(byte[] b, int off, int len) throws IOException {
    if (state != State.OPEN) {
      throw new IOException(
          "Cannot write to " + location() + ": already " + state.name().toLowerCase(Locale.ROOT));
    }
    checkPartFailure();
    while (len > 0) {
      int n = Math.min(len, partSize - filled);
      ensureCapacity(filled + n);
      System.arraycopy(b, off, current, filled, n);
      filled += n;
      off += n;
      len -= n;
      if (filled == partSize) {
        checkPartFailure();
        startUploadIfNeeded();
        submitPart();
      }
    }
  }

  private void checkPartFailure() throws IOException {
    Throwable f;
    synchronized (lock) {
      f = partFailure;
    }
    if (f != null) {
      throw new IOException(S3Errors.failure("upload a part of", bucket, key, f).getMessage(), f);
    }
  }

  /** Makes {@link #current} hold at least {@code needed} bytes, {@code needed <= partSize}. */
  private void ensureCapacity(int needed) throws IOException {
    if (current == null) {
      current = takeBuffer(needed);
    }
    int capacity = current.length;
    if (capacity < needed) {
      int grown = (int) Math.min(partSize, Math.max(needed, 2L * capacity));
      byte[] bigger = new byte[grown];
      System.arraycopy(current, 0, bigger, 0, filled);
      heldBytes.addAndGet(grown - capacity);
      current = bigger;
    }
  }

  /**
   * A buffer for the next part: one handed over by a finished part, else a new small one, else (all
   * {@code maxPartsInFlight + 1} held) waits for a part to finish.
   */
  private byte[] takeBuffer(int needed) throws IOException {
    synchronized (lock) {
      try {
        while (handedOver == null && buffers >= maxBuffers) {
          writerWaiting = true;
          lock.wait();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("Cannot write to " + location() + ": interrupted");
      } finally {
        writerWaiting = false;
      }
      if (handedOver != null) {
        byte[] b = handedOver;
        handedOver = null;
        return b;
      }
      buffers++;
      peakBuffers = Math.max(peakBuffers, buffers);
    }
    int capacity = Math.min(partSize, Math.max(needed, INITIAL_BUFFER));
    heldBytes.addAndGet(capacity);
    return new byte[capacity];
  }

  private void startUploadIfNeeded() throws IOException {
    if (uploadId != null) {
      return;
    }
    try {
      CreateMultipartUploadRequest.Builder request =
          CreateMultipartUploadRequest.builder()
              .bucket(bucket)
              .key(key)
              .contentType(contentType())
              .metadata(Map.of(S3Sink.UPLOAD_TOKEN_METADATA, token));
      encryption(request);
      uploadId = sink.call(() -> sink.client().createMultipartUpload(request.build())).uploadId();
    } catch (SdkException e) {
      throw new IOException(S3Errors.failure("start upload of", bucket, key, e).getMessage(), e);
    } catch (IngestException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private void submitPart() throws IOException {
    int partNumber = nextPartNumber;
    if (partNumber > S3Sink.MAX_PARTS) {
      throw new IOException(
          "Cannot upload part "
              + partNumber
              + " of "
              + location()
              + ": S3 allows at most "
              + S3Sink.MAX_PARTS
              + " parts; use a larger partSize or smaller files");
    }
    byte[] buffer = current;
    int length = filled;
    current = null;
    filled = 0;
    nextPartNumber++;
    Part part = new Part(partNumber, buffer, length);
    synchronized (lock) {
      running++;
    }
    try {
      part.future = sink.uploads().submit(part::upload);
      parts.add(part);
    } catch (RejectedExecutionException e) {
      part.claimed.set(true);
      partDone(buffer, e);
      throw new IOException(
          "Cannot upload part " + partNumber + " of " + location() + ": the sink is closed", e);
    }
  }

  /**
   * A part given to the upload threads. Whoever claims it first ends it: the upload thread that
   * runs it, or an abort that finds it still queued (a cancelled task never runs, so the abort
   * releases its buffer itself).
   */
  private final class Part {
    final int number;
    final byte[] buffer;
    final int length;
    final AtomicBoolean claimed = new AtomicBoolean();
    Future<CompletedPart> future;

    Part(int number, byte[] buffer, int length) {
      this.number = number;
      this.buffer = buffer;
      this.length = length;
    }

    /** Runs on an upload thread. */
    CompletedPart upload() {
      if (!claimed.compareAndSet(false, true)) {
        throw new CancellationException("Part " + number + " of " + location() + " was aborted");
      }
      return uploadPart(number, buffer, length);
    }
  }

  /** Runs on an upload thread. */
  private CompletedPart uploadPart(int partNumber, byte[] buffer, int length) {
    Throwable failure = null;
    try {
      UploadPartResponse response =
          sink.client()
              .uploadPart(
                  r ->
                      r.bucket(bucket)
                          .key(key)
                          .uploadId(uploadId)
                          .partNumber(partNumber)
                          .contentLength((long) length)
                          .contentMD5(md5(buffer, length)),
                  body(buffer, length));
      sink.metricsCollector().uploaded(length);
      return CompletedPart.builder().partNumber(partNumber).eTag(response.eTag()).build();
    } catch (RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      partDone(buffer, failure);
    }
  }

  /** The part's upload ended: its buffer goes to a waiting writer, or is dropped. */
  private void partDone(byte[] buffer, Throwable failure) {
    synchronized (lock) {
      running--;
      if (state == State.OPEN && writerWaiting && handedOver == null) {
        handedOver = buffer; // still held, now by the writer: buffers and heldBytes unchanged
      } else {
        buffers--;
        heldBytes.addAndGet(-buffer.length);
      }
      if (failure != null && partFailure == null) {
        partFailure = failure;
      }
      lock.notifyAll();
    }
  }

  // ---- committing

  private void putWhole() {
    byte[] buffer = current == null ? new byte[0] : current;
    int length = filled;
    PutObjectRequest.Builder request =
        PutObjectRequest.builder()
            .bucket(bucket)
            .key(key)
            .contentType(contentType())
            .contentLength((long) length)
            .contentMD5(md5(buffer, length))
            .metadata(Map.of(S3Sink.UPLOAD_TOKEN_METADATA, token));
    if (ifNoneMatch) {
      request.ifNoneMatch("*");
    }
    encryption(request);
    try {
      sink.call(() -> sink.client().putObject(request.build(), body(buffer, length)));
      sink.metricsCollector().uploaded(length);
    } catch (SdkException e) {
      if (!(S3Errors.status(e) == 412 && isOurs())) {
        throw refused("put", e);
      }
    }
  }

  private List<CompletedPart> awaitParts() {
    List<CompletedPart> done = new ArrayList<>(parts.size());
    for (Part part : parts) {
      try {
        done.add(part.future.get());
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        throw S3Errors.failure("upload a part of", bucket, key, cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IngestException("Cannot commit " + location() + ": interrupted", e);
      } catch (CancellationException e) {
        throw new IngestException(
            "Cannot commit " + location() + ": a part upload was cancelled", e);
      }
    }
    done.sort(Comparator.comparingInt(CompletedPart::partNumber));
    return done;
  }

  private void completeUpload(List<CompletedPart> completed) {
    try {
      sink.call(
          () ->
              sink.client()
                  .completeMultipartUpload(
                      r -> {
                        r.bucket(bucket)
                            .key(key)
                            .uploadId(uploadId)
                            .multipartUpload(u -> u.parts(completed));
                        if (ifNoneMatch) {
                          r.ifNoneMatch("*");
                        }
                      }));
    } catch (SdkException e) {
      // A retry after a lost response finds the upload gone (404 NoSuchUpload) or, with
      // If-None-Match, the object present (412): both mean success if the object is ours.
      int status = S3Errors.status(e);
      if (!((status == 404 || status == 412) && isOurs())) {
        throw refused("complete upload of", e);
      }
    }
  }

  private IngestException refused(String action, SdkException e) {
    if (S3Errors.status(e) == 412) {
      return new IngestException(
          "Cannot commit "
              + location()
              + ": an object with that key already exists and If-None-Match forbids replacing it"
              + " (S3 error PreconditionFailed); use another prefix or file prefix",
          e);
    }
    return S3Errors.failure(action, bucket, key, e);
  }

  /** Whether the object under the key was written by this output, after an ambiguous commit. */
  private boolean isOurs() {
    try {
      HeadObjectResponse head = sink.head(key);
      return head != null && token.equals(head.metadata().get(S3Sink.UPLOAD_TOKEN_METADATA));
    } catch (IngestException e) {
      return false;
    }
  }

  // ---- aborting

  private void cancelParts() {
    for (Part part : parts) {
      if (part.claimed.compareAndSet(false, true)) {
        // Still queued behind other uploads: it will not run, so it ends here.
        part.future.cancel(false);
        partDone(part.buffer, null);
      } else {
        part.future.cancel(true);
      }
    }
    // S3 may keep a part that was still uploading when the upload was aborted: wait for those.
    synchronized (lock) {
      boolean interrupted = false;
      while (running > 0) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void abortUpload() {
    try {
      sink.call(
          () ->
              sink.client()
                  .abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return; // NoSuchUpload: already gone
      }
      throw abortFailure(e);
    } catch (SdkException e) {
      throw abortFailure(e);
    }
  }

  private IngestException abortFailure(SdkException e) {
    return new IngestException(
        "Cannot abort upload "
            + uploadId
            + " of "
            + location()
            + ": "
            + S3Errors.describe(e)
            + "; it stays invisible, and a bucket lifecycle rule for incomplete multipart"
            + " uploads removes it",
        e);
  }

  /** Drops the buffer being filled and any handed over; parts still uploading drop theirs. */
  private void releaseBuffers() {
    synchronized (lock) {
      long released = 0;
      if (current != null) {
        released += current.length;
        buffers--;
      }
      if (handedOver != null) {
        released += handedOver.length;
        buffers--;
        handedOver = null;
      }
      current = null;
      filled = 0;
      heldBytes.addAndGet(-released);
    }
  }

  // ---- helpers

  private void encryption(CreateMultipartUploadRequest.Builder request) {
    S3Sink.Encryption encryption = sink.config().encryption();
    if (encryption == S3Sink.Encryption.S3_MANAGED) {
      request.serverSideEncryption(ServerSideEncryption.AES256);
    } else if (encryption == S3Sink.Encryption.KMS) {
      request
          .serverSideEncryption(ServerSideEncryption.AWS_KMS)
          .ssekmsKeyId(sink.config().kmsKeyId());
    }
  }

  private void encryption(PutObjectRequest.Builder request) {
    S3Sink.Encryption encryption = sink.config().encryption();
    if (encryption == S3Sink.Encryption.S3_MANAGED) {
      request.serverSideEncryption(ServerSideEncryption.AES256);
    } else if (encryption == S3Sink.Encryption.KMS) {
      request
          .serverSideEncryption(ServerSideEncryption.AWS_KMS)
          .ssekmsKeyId(sink.config().kmsKeyId());
    }
  }

  private String contentType() {
    return key.endsWith(".parquet")
        ? "application/vnd.apache.parquet"
        : key.endsWith(".json") ? "application/json" : "application/octet-stream";
  }

  /** A body that can be replayed for retries without copying the buffer. */
  private static RequestBody body(byte[] buffer, int length) {
    return RequestBody.fromContentProvider(
        () -> new ByteArrayInputStream(buffer, 0, length), length, "application/octet-stream");
  }

  private static String md5(byte[] buffer, int length) {
    try {
      MessageDigest md = MessageDigest.getInstance("MD5");
      md.update(buffer, 0, length);
      return Base64.getEncoder().encodeToString(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot compute Content-MD5: no MD5 in this JVM", e);
    }
  }

  /** The stream handed to the encoder. Closing it does nothing: the output owns it. */
  private final class PartStream extends OutputStream {
    private final byte[] one = new byte[1];

    @Override
    public void write(int b) throws IOException {
      one[0] = (byte) b;
      S3StagedOutput.this.write(one, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      S3StagedOutput.this.write(b, off, len);
    }

    /** Does nothing: bytes go out a whole part at a time, and at commit. */
    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
