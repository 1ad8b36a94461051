package dev.parquetingest.sink.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.parquetingest.common.DataSize;
import dev.parquetingest.common.IngestException;
import dev.parquetingest.spi.SinkCounters;
import dev.parquetingest.spi.StagedOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;

/** The sink on its own, against the in-process S3 server. */
@ExtendWith(S3ServerExtension.class)
class S3SinkTest {
  private static final int MIB = 1024 * 1024;

  private final S3Server server;
  private final String bucket;

  S3SinkTest(S3Server server) {
    this.server = server;
    this.bucket = server.newBucket();
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < size; i++) {
      b[i] = (byte) r.nextInt(256);
    }
    return b;
  }

  /** Writes in odd-sized chunks, as an encoder does. */
  private static void write(OutputStream out, byte[] data) throws IOException {
    int chunk = 100_003;
    for (int off = 0; off < data.length; off += chunk) {
      out.write(data, off, Math.min(chunk, data.length - off));
    }
  }

  @Test
  void smallFileIsOnePutAtCommitAndInvisibleBefore() throws IOException {
    try (S3Sink sink = server.sink(bucket, "out").build()) {
      StagedOutput staged = sink.create("small.parquet");
      byte[] data = "hello parquet".getBytes(StandardCharsets.UTF_8);
      staged.stream().write(data);
      assertThat(server.keys(bucket)).isEmpty();
      assertThat(sink.metrics().totalRequests()).isZero();

      staged.commit();

      assertThat(staged.location()).isEqualTo("s3://" + bucket + "/out/small.parquet");
      assertThat(server.get(bucket, "out/small.parquet")).isEqualTo(data);
      S3SinkMetrics m = sink.metrics();
      assertThat(m.requests()).containsExactly(Map.entry("PutObject", 1L));
      assertThat(m.bytesUploaded()).isEqualTo(data.length);
      assertThat(m.filesCommitted()).isEqualTo(1);
    }
  }

  @Test
  void emptyFileIsCommitted() {
    try (S3Sink sink = server.sink(bucket, "").build()) {
      StagedOutput staged = sink.create("empty.bin");
      staged.commit();
      assertThat(server.get(bucket, "empty.bin")).isEmpty();
    }
  }

  @Test
  void largeFileIsStreamedAsPartsWithBoundedBuffers() throws IOException {
    byte[] data = random(17 * MIB + 12_345, 1);
    try (S3Sink sink = server.sink(bucket, "big").maxPartsInFlight(2).build()) {
      S3StagedOutput staged = (S3StagedOutput) sink.create("dt=2026-11-21/big.parquet");
      write(staged.stream(), data);

      // Three full parts went out while writing; nothing is visible yet.
      assertThat(staged.uploadId()).isNotNull();
      assertThat(server.uploads(bucket)).hasSize(1);
      assertThat(server.keys(bucket)).isEmpty();

      staged.commit();

      assertThat(server.get(bucket, "big/dt=2026-11-21/big.parquet")).isEqualTo(data);
      assertThat(server.uploads(bucket)).isEmpty();
      assertThat(staged.peakBuffers()).isBetween(1, 3);
      assertThat(staged.bufferedBytes()).isZero();
      S3SinkMetrics m = sink.metrics();
      assertThat(m.requests("CreateMultipartUpload")).isEqualTo(1);
      assertThat(m.requests("UploadPart")).isEqualTo(4);
      assertThat(m.requests("CompleteMultipartUpload")).isEqualTo(1);
      assertThat(m.requests("PutObject")).isZero();
      assertThat(m.retries()).isZero();
      assertThat(m.bytesUploaded()).isEqualTo(data.length);
    }
  }

  @Test
  void filesMayBeStagedFromSeveralThreadsAtOnce() throws Exception {
    try (S3Sink sink = server.sink(bucket, "mt").maxPartsInFlight(2).build()) {
      List<Callable<byte[]>> writers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        int n = i;
        writers.add(
            () -> {
              byte[] data = random(7 * MIB + n, 10 + n);
              StagedOutput s = sink.create("f" + n + ".bin");
              write(s.stream(), data);
              s.commit();
              return data;
            });
      }
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try {
        List<Future<byte[]>> results = pool.invokeAll(writers);
        for (int i = 0; i < 3; i++) {
          assertThat(server.get(bucket, "mt/f" + i + ".bin")).isEqualTo(results.get(i).get());
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(sink.metrics().filesCommitted()).isEqualTo(3);
      assertThat(server.uploads(bucket)).isEmpty();
    }
  }

  @Test
  void writerWaitsForSlowPartsInsteadOfBuffering() throws Exception {
    try (FaultProxy proxy = new FaultProxy(server.endpoint());
        S3Sink sink = S3Server.sink(proxy.endpoint(), bucket, "slow").maxPartsInFlight(1).build()) {
      // Every part is delayed but answered before the request timeout.
      proxy.inject(FaultProxy.Kind.UPLOAD_PART, FaultProxy.Fault.DELAY, 2);
      byte[] data = random(16 * MIB, 2);
      S3StagedOutput staged = (S3StagedOutput) sink.create("slow.bin");
      write(staged.stream(), data);
      assertThat(staged.peakBuffers()).isLessThanOrEqualTo(2);
      // The writer waited for a part, and the part's buffer was handed to it when it finished.
      assertThat(staged.bufferedBytes())
          .isBetween(S3Sink.MIN_PART_SIZE.toBytes(), 2 * S3Sink.MIN_PART_SIZE.toBytes());
      staged.commit();
      assertThat(staged.bufferedBytes()).isZero();
      assertThat(server.get(bucket, "slow/slow.bin")).isEqualTo(data);
    }
  }

  @Test
  void abortLeavesNoUploadAndNoObject() throws IOException {
    try (S3Sink sink = server.sink(bucket, "aborted").build()) {
      StagedOutput staged = sink.create("a.parquet");
      write(staged.stream(), random(12 * MIB, 3));
      assertThat(server.uploads(bucket)).hasSize(1);

      staged.abort();
      staged.abort(); // idempotent
      assertThat(staged.bufferedBytes()).isZero();

      assertThat(server.uploads(bucket)).isEmpty();
      assertThat(server.keys(bucket)).isEmpty();
      assertThat(sink.metrics().requests("AbortMultipartUpload")).isEqualTo(1);
      assertThat(sink.metrics().filesAborted()).isEqualTo(1);
      assertThatThrownBy(staged::commit)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Cannot commit s3://" + bucket + "/aborted/a.parquet");
      assertThatThrownBy(() -> staged.stream().write(1)).isInstanceOf(IOException.class);
    }
  }

  @Test
  void abortEndsPartsStillQueuedBehindOthers() throws Exception {
    try (FaultProxy proxy = new FaultProxy(server.endpoint());
        S3Sink sink = S3Server.sink(proxy.endpoint(), bucket, "q").maxPartsInFlight(1).build()) {
      // One upload thread: part 1 is uploading (slowly), part 2 waits in the queue.
      proxy.inject(FaultProxy.Kind.UPLOAD_PART, FaultProxy.Fault.DELAY, 2);
      StagedOutput staged = sink.create("a.bin");
      staged.stream().write(new byte[2 * MIB * 5]);
      assertThat(staged.bufferedBytes()).isEqualTo(2L * 5 * MIB);

      assertTimeoutPreemptively(Duration.ofSeconds(20), staged::abort);

      assertThat(staged.bufferedBytes()).isZero();
      assertThat(server.uploads(bucket)).isEmpty();
      assertThat(server.keys(bucket)).isEmpty();
      // The queued part was never sent (the interrupted one may not have reached the proxy).
      assertThat(proxy.seen(FaultProxy.Kind.UPLOAD_PART)).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void closingTheSinkFailsACommitWhosePartsCannotRunAnyMore() throws Exception {
    try (FaultProxy proxy = new FaultProxy(server.endpoint())) {
      proxy.inject(FaultProxy.Kind.UPLOAD_PART, FaultProxy.Fault.DELAY, 2);
      S3Sink sink = S3Server.sink(proxy.endpoint(), bucket, "c").maxPartsInFlight(1).build();
      StagedOutput staged = sink.create("a.bin");
      staged.stream().write(new byte[2 * MIB * 5]);
      sink.close();

      assertThatThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(20), staged::commit))
          .isInstanceOf(IngestException.class)
          .hasMessageContaining("s3://" + bucket + "/c/a.bin");
      assertThat(staged.bufferedBytes()).isZero();
      assertThat(server.keys(bucket)).isEmpty();
    }
  }

  @Test
  void abortBeforeAnyPartSendsNothing() throws IOException {
    try (S3Sink sink = server.sink(bucket, "x").build()) {
      StagedOutput staged = sink.create("a.parquet");
      staged.stream().write(new byte[1000]);
      assertThat(staged.bufferedBytes()).isEqualTo(S3StagedOutput.INITIAL_BUFFER);
      staged.abort();
      assertThat(staged.bufferedBytes()).isZero();
      assertThat(sink.metrics().totalRequests()).isZero();
      assertThat(server.keys(bucket)).isEmpty();
    }
  }

  @Test
  void abortAfterCommitIsANoOp() throws IOException {
    try (S3Sink sink = server.sink(bucket, "x").build()) {
      StagedOutput staged = sink.create("a.parquet");
      staged.stream().write(new byte[10]);
      staged.commit();
      staged.abort();
      assertThat(server.keys(bucket)).containsExactly("x/a.parquet");
    }
  }

  @Test
  void ifNoneMatchRefusesToReplaceAnObject() throws IOException {
    byte[] first = random(11 * MIB, 4);
    try (S3Sink sink = server.sink(bucket, "once").build()) {
      for (int size : new int[] {100, 11 * MIB}) {
        String name = "f" + size + ".parquet";
        StagedOutput a = sink.create(name);
        write(a.stream(), first);
        a.commit();

        StagedOutput b = sink.create(name);
        write(b.stream(), random(size, 5));
        assertThatThrownBy(b::commit)
            .isInstanceOf(IngestException.class)
            .hasMessageContaining("Cannot commit s3://" + bucket + "/once/" + name)
            .hasMessageContaining("already exists")
            .hasMessageContaining("PreconditionFailed");
        assertThat(server.get(bucket, "once/" + name)).isEqualTo(first);
        assertThat(server.uploads(bucket)).isEmpty();
      }
    }
  }

  @Test
  void withoutIfNoneMatchAnObjectIsReplaced() throws IOException {
    try (S3Sink sink = server.sink(bucket, "twice").ifNoneMatch(false).build()) {
      for (String text : new String[] {"one", "two"}) {
        StagedOutput s = sink.create("f.txt");
        s.stream().write(text.getBytes(StandardCharsets.UTF_8));
        s.commit();
      }
      assertThat(new String(server.get(bucket, "twice/f.txt"), StandardCharsets.UTF_8))
          .isEqualTo("two");
    }
  }

  @Test
  void existsAsksForTheKey() throws IOException {
    try (S3Sink sink = server.sink(bucket, "p").build()) {
      assertThat(sink.exists("a.parquet")).isFalse();
      StagedOutput s = sink.create("a.parquet");
      s.stream().write(1);
      s.commit();
      assertThat(sink.exists("a.parquet")).isTrue();
      assertThat(sink.exists("b.parquet")).isFalse();
    }
  }

  @Test
  void withoutListPermissionExistsReliesOnIfNoneMatch() throws Exception {
    try (FaultProxy proxy = new FaultProxy(server.endpoint());
        S3Sink guarded = S3Server.sink(proxy.endpoint(), bucket, "wo").build();
        S3Sink unguarded =
            S3Server.sink(proxy.endpoint(), bucket, "wo").ifNoneMatch(false).build()) {
      // S3 answers HEAD of a missing key with 403 when the caller may not list the bucket.
      proxy.inject(FaultProxy.Kind.HEAD, FaultProxy.Fault.ACCESS_DENIED, -1);
      assertThat(guarded.exists("a.parquet")).isFalse();
      assertThatThrownBy(() -> unguarded.exists("a.parquet"))
          .isInstanceOf(IngestException.class)
          .hasMessageContaining("Cannot look up s3://" + bucket + "/wo/a.parquet: ")
          .hasMessageContaining("(HTTP 403)"); // a HEAD response has no body, so no error code
    }
  }

  @Test
  void missingCredentialsAreOneSentenceNotTheProviderChainDump() {
    // a real provider chain that finds nothing: no system properties are set for it
    AwsCredentialsProviderChain none =
        AwsCredentialsProviderChain.of(SystemPropertyCredentialsProvider.create());
    try (S3Sink sink =
        S3Server.sink(server.endpoint(), bucket, "nc").credentialsProvider(none).build()) {
      assertThatThrownBy(() -> sink.exists("a.parquet"))
          .isInstanceOf(IngestException.class)
          .hasMessageStartingWith(
              "Cannot look up s3://" + bucket + "/nc/a.parquet: no AWS credentials found:")
          .hasMessageContaining("AWS_ACCESS_KEY_ID")
          .hasMessageNotContaining("Provider");
    }
  }

  @Test
  void aMissingBucketFailsTheFileNamingBucketKeyAndCode() throws IOException {
    try (S3Sink sink = server.sink("no-such-bucket", "p").build()) {
      StagedOutput small = sink.create("a.parquet");
      small.stream().write(1);
      assertThatThrownBy(small::commit)
          .isInstanceOf(IngestException.class)
          .hasMessageContaining("s3://no-such-bucket/p/a.parquet")
          .hasMessageContaining("NoSuchBucket")
          .hasMessageNotContaining(S3Server.SECRET_KEY);

      StagedOutput big = sink.create("b.parquet");
      assertThatThrownBy(() -> write(big.stream(), random(6 * MIB, 6)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("s3://no-such-bucket/p/b.parquet")
          .hasMessageContaining("NoSuchBucket");
      big.abort();
      assertThat(big.bufferedBytes()).isZero();
      assertThat(sink.metrics().retries()).isZero();
    }
  }

  @Test
  void encryptionHeadersAreSent() throws Exception {
    try (FaultProxy proxy = new FaultProxy(server.endpoint());
        S3Sink sink =
            S3Server.sink(proxy.endpoint(), bucket, "enc")
                .serverSideEncryption(S3Sink.Encryption.S3_MANAGED)
                .build()) {
      StagedOutput small = sink.create("a.bin");
      small.stream().write(1);
      small.commit();
      StagedOutput big = sink.create("b.bin");
      write(big.stream(), random(6 * MIB, 7));
      big.commit();
      assertThat(proxy.headers(FaultProxy.Kind.PUT))
          .allSatisfy(h -> assertThat(h).containsEntry("x-amz-server-side-encryption", "AES256"))
          .allSatisfy(h -> assertThat(h).containsEntry("if-none-match", "*"))
          .allSatisfy(h -> assertThat(h).containsKey("content-md5"));
      assertThat(proxy.headers(FaultProxy.Kind.CREATE))
          .singleElement()
          .satisfies(h -> assertThat(h).containsEntry("x-amz-server-side-encryption", "AES256"));
      assertThat(proxy.headers(FaultProxy.Kind.COMPLETE))
          .singleElement()
          .satisfies(h -> assertThat(h).containsEntry("if-none-match", "*"));
      assertThat(proxy.headers(FaultProxy.Kind.UPLOAD_PART))
          .allSatisfy(h -> assertThat(h).containsKey("content-md5"))
          .allSatisfy(h -> assertThat(h.toString()).doesNotContain(S3Server.SECRET_KEY));
    }
  }

  @Test
  void kmsKeyIsSent() throws Exception {
    try (FaultProxy proxy = new FaultProxy(server.endpoint());
        S3Sink sink =
            S3Server.sink(proxy.endpoint(), bucket, "kms")
                .serverSideEncryption(S3Sink.Encryption.KMS)
                .kmsKeyId("alias/ingest")
                .build()) {
      StagedOutput small = sink.create("a.bin");
      small.stream().write(1);
      try {
        small.commit();
      } catch (IngestException e) {
        // s3proxy has no KMS; only the headers matter here
      }
      assertThat(proxy.headers(FaultProxy.Kind.PUT))
          .first()
          .satisfies(
              h ->
                  assertThat(h)
                      .containsEntry("x-amz-server-side-encryption", "aws:kms")
                      .containsEntry(
                          "x-amz-server-side-encryption-aws-kms-key-id", "alias/ingest"));
    }
  }

  @Test
  void retriedRequestsAreCounted() throws Exception {
    try (FaultProxy proxy = new FaultProxy(server.endpoint());
        S3Sink sink = S3Server.sink(proxy.endpoint(), bucket, "r").build()) {
      proxy.inject(FaultProxy.Kind.PUT, FaultProxy.Fault.SLOW_DOWN, 2);
      StagedOutput s = sink.create("a.bin");
      s.stream().write(new byte[1234]);
      s.commit();
      S3SinkMetrics m = sink.metrics();
      assertThat(m.requests("PutObject")).isEqualTo(3);
      assertThat(m.retries()).isEqualTo(2);
      assertThat(m.bytesUploaded()).isEqualTo(1234);
      assertThat(m.toMap())
          .containsEntry("s3.requests.PutObject", 3L)
          .containsEntry("s3.retries", 2L)
          .containsEntry("s3.bytesUploaded", 1234L);
      SinkCounters typed = sink.sinkCounters();
      assertThat(typed.sink()).isEqualTo("s3");
      assertThat(typed.find(SinkCounters.Counter.REQUESTS, "PutObject")).isEqualTo(3L);
      assertThat(typed.find(SinkCounters.Counter.RETRIES, null)).isEqualTo(2L);
      assertThat(typed.find(SinkCounters.Counter.BYTES_UPLOADED, null)).isEqualTo(1234L);
      assertThat(typed.find(SinkCounters.Counter.FILES_COMMITTED, null)).isEqualTo(1L);
      // the flat form of the typed counters agrees with the report's, less the requests total
      Map<String, Long> flat = new LinkedHashMap<>(m.toMap());
      flat.remove("s3.requests");
      assertThat(typed.toMap()).isEqualTo(flat);
    }
  }

  @Test
  void aCommitWhoseResponseWasLostIsRecognisedAsDone() throws Exception {
    try (FaultProxy proxy = new FaultProxy(server.endpoint());
        S3Sink sink = S3Server.sink(proxy.endpoint(), bucket, "lost").build()) {
      // The server stores the object, the client sees a reset and retries; with If-None-Match
      // the retry gets 412 (PUT) or NoSuchUpload (complete), and the token says it was ours.
      proxy.inject(FaultProxy.Kind.PUT, FaultProxy.Fault.RESET_AFTER_FORWARD, 1);
      proxy.inject(FaultProxy.Kind.COMPLETE, FaultProxy.Fault.RESET_AFTER_FORWARD, 1);
      byte[] small = random(1000, 8);
      StagedOutput a = sink.create("small.bin");
      a.stream().write(small);
      a.commit();
      byte[] big = random(6 * MIB, 9);
      StagedOutput b = sink.create("big.bin");
      write(b.stream(), big);
      b.commit();

      assertThat(server.get(bucket, "lost/small.bin")).isEqualTo(small);
      assertThat(server.get(bucket, "lost/big.bin")).isEqualTo(big);
      S3SinkMetrics m = sink.metrics();
      assertThat(m.requests("PutObject")).isEqualTo(2);
      assertThat(m.requests("CompleteMultipartUpload")).isEqualTo(2);
      // The PUT retry is refused (412) and resolved by HeadObject; a store may also answer a
      // repeated complete of a just-completed upload with success, as S3 does.
      assertThat(m.requests("HeadObject")).isBetween(1L, 2L);
      assertThat(m.filesCommitted()).isEqualTo(2);
      assertThat(server.uploads(bucket)).isEmpty();
    }
  }

  @Test
  void aTimedOutRequestDoesNotInterruptTheWriter() throws Exception {
    try (FaultProxy proxy = new FaultProxy(server.endpoint());
        S3Sink sink =
            S3Server.sink(proxy.endpoint(), bucket, "t")
                .requestTimeout(Duration.ofMillis(500))
                .build()) {
      proxy.inject(FaultProxy.Kind.CREATE, FaultProxy.Fault.DELAY, 1);
      proxy.inject(FaultProxy.Kind.PUT, FaultProxy.Fault.DELAY, 1);
      StagedOutput big = sink.create("big.bin");
      write(big.stream(), random(6 * MIB, 11));
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
      big.commit();
      StagedOutput small = sink.create("small.bin");
      small.stream().write(1);
      small.commit();
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
      assertThat(sink.metrics().retries()).isEqualTo(2);
      assertThat(server.keys(bucket)).containsExactly("t/big.bin", "t/small.bin");
    }
  }

  @Test
  void namesThatWouldEscapeThePrefixAreRefused() {
    try (S3Sink sink = server.sink(bucket, "safe").build()) {
      for (String bad :
          new String[] {"../x.parquet", "/x.parquet", "a//b", "a/./b", "a\nb", "", "a/"}) {
        assertThatThrownBy(() -> sink.create(bad))
            .as(bad)
            .isInstanceOf(IngestException.class)
            .hasMessageContaining("Cannot create");
      }
      assertThat(sink.keyFor("dt=2026-11-21/a.parquet")).isEqualTo("safe/dt=2026-11-21/a.parquet");
    }
  }

  @Test
  void partSizeIsNeverBelowTheS3Minimum() {
    assertThatThrownBy(() -> S3Sink.builder().partSize(DataSize.ofMegabytes(4)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid partSize 4MB: must be between 5MB and 1GB");
  }

  @Test
  void listSeesOnlyThePrefixAndItsIncompleteUploadsAsTemporaryFilesThatDeleteAborts()
      throws IOException {
    server.admin().putObject(r -> r.bucket(bucket).key("outer/x-00000.parquet"), body("other"));
    server.admin().putObject(r -> r.bucket(bucket).key("x-00000.parquet"), body("root"));
    try (S3Sink sink = server.sink(bucket, "out").build()) {
      StagedOutput done = sink.create("k=1/x-00000.parquet");
      done.stream().write(new byte[] {1, 2, 3});
      done.commit();
      // a file past one part has a multipart upload: a killed process leaves it behind
      S3StagedOutput killed = (S3StagedOutput) sink.create("k=1/x-00001.parquet");
      write(killed.stream(), random(5 * MIB + 1, 3));
      assertThat(killed.uploadId()).isNotNull();

      List<String> names = sink.list(n -> n.startsWith("x-") || n.startsWith(".x-"));
      assertThat(names).hasSize(2).contains("k=1/x-00000.parquet");
      String temp = names.stream().filter(n -> n.endsWith(".inprogress")).findFirst().orElseThrow();
      assertThat(temp).startsWith("k=1/.x-00001.parquet.");
      assertThat(sink.list(n -> n.startsWith("y-"))).isEmpty();

      sink.delete(temp);
      assertThat(server.uploads(bucket)).as("the upload was aborted").isEmpty();
      assertThat(sink.list(n -> true)).containsExactly("k=1/x-00000.parquet");
      sink.delete(temp); // gone already: no error
      killed.abort();
      assertThat(sink.metrics().requests("AbortMultipartUpload")).isGreaterThanOrEqualTo(1);
    }
    assertThat(server.keys(bucket)).contains("outer/x-00000.parquet", "x-00000.parquet");
  }

  @Test
  void readTailIsOneRangedGetAndSizeOneHead() throws IOException {
    byte[] data = random(100_000, 5);
    try (S3Sink sink = server.sink(bucket, "t").build()) {
      StagedOutput out = sink.create("f.parquet");
      out.stream().write(data);
      out.commit();
      long before = sink.metrics().totalRequests();
      assertThat(sink.readTail("f.parquet", 8))
          .isEqualTo(java.util.Arrays.copyOfRange(data, data.length - 8, data.length));
      assertThat(sink.size("f.parquet")).isEqualTo(data.length);
      assertThat(sink.metrics().requests("GetObject")).isEqualTo(1);
      assertThat(sink.metrics().requests("HeadObject")).isEqualTo(1);
      assertThat(sink.metrics().totalRequests()).isEqualTo(before + 2);
    }
  }

  @Test
  void aReplacingCommitOverwritesWithoutIfNoneMatchOthersStillRefuse() throws IOException {
    try (S3Sink sink = server.sink(bucket, "r").build()) {
      for (String content : new String[] {"old", "new"}) {
        StagedOutput out = sink.create("a.parquet", content.equals("new"));
        out.stream().write(content.getBytes(StandardCharsets.UTF_8));
        out.commit();
      }
      assertThat(server.get(bucket, "r/a.parquet"))
          .isEqualTo("new".getBytes(StandardCharsets.UTF_8));
      StagedOutput refused = sink.create("a.parquet");
      refused.stream().write(1);
      assertThatThrownBy(refused::commit)
          .isInstanceOf(IngestException.class)
          .hasMessageContaining("already exists");
    }
  }

  private static software.amazon.awssdk.core.sync.RequestBody body(String s) {
    return software.amazon.awssdk.core.sync.RequestBody.fromString(s);
  }
}
