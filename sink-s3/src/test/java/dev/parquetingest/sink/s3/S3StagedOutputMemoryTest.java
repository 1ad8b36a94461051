package dev.parquetingest.sink.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.parquetingest.spi.StagedOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a staged output holds in memory: part buffers grow with the data instead of being a whole
 * part from the first byte, and {@link StagedOutput#bufferedBytes()} says how much they hold.
 */
@ExtendWith(S3ServerExtension.class)
class S3StagedOutputMemoryTest {
  private static final int KIB = 1024;
  private static final int PART = Math.toIntExact(S3Sink.MIN_PART_SIZE.toBytes());

  private final S3Server server;
  private final String bucket;

  S3StagedOutputMemoryTest(S3Server server) {
    this.server = server;
    this.bucket = server.newBucket();
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  /** Bytes allocated on the heap by the calling thread so far. */
  private static long allocatedByThisThread() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  @Test
  void manySmallFilesOpenAtOnceHoldLittleMemory() throws IOException {
    int files = 500;
    try (S3Sink sink = server.sink(bucket, "many").build()) {
      // A few KB per file, written in four interleaved rounds of odd sizes, as partitions do.
      SplittableRandom r = new SplittableRandom(42);
      byte[][] data = new byte[files][];
      int[][] cuts = new int[files][];
      List<StagedOutput> outputs = new ArrayList<>();
      for (int i = 0; i < files; i++) {
        data[i] = random(2 * KIB + r.nextInt(4 * KIB), i);
        int a = 4 + r.nextInt(100); // the first write is as small as a Parquet magic
        int b = a + r.nextInt(data[i].length - a);
        int c = b + r.nextInt(data[i].length - b);
        cuts[i] = new int[] {0, a, b, c, data[i].length};
        outputs.add(sink.create("p=" + i + "/f.bin"));
      }
      for (StagedOutput o : outputs) {
        assertThat(o.bufferedBytes()).isZero();
      }

      // Checked as it goes, so that a regression fails here rather than with OutOfMemoryError.
      long allocatedBefore = allocatedByThisThread();
      for (int round = 0; round < 4; round++) {
        for (int i = 0; i < files; i++) {
          StagedOutput o = outputs.get(i);
          int from = cuts[i][round];
          o.stream().write(data[i], from, cuts[i][round + 1] - from);
          if (o.bufferedBytes() > 128 * KIB) {
            fail(
                "file %d holds %d bytes after %d written",
                i, o.bufferedBytes(), cuts[i][round + 1]);
          }
          long soFar = allocatedByThisThread() - allocatedBefore;
          if (round == 0 && soFar > (i + 1) * 128L * KIB) {
            fail("%d bytes allocated for the first %d files", soFar, i + 1);
          }
        }
      }
      long allocated = allocatedByThisThread() - allocatedBefore;

      long total = 0;
      for (int i = 0; i < files; i++) {
        long held = outputs.get(i).bufferedBytes();
        assertThat(held).as("file %d", i).isBetween((long) data[i].length, 128L * KIB);
        total += held;
      }
      System.out.printf(
          "%d open files, a few KB each: bufferedBytes sum %d (%.1f MiB), allocated by the"
              + " writer %d (%.1f MiB); a whole part each would be %d MiB%n",
          files,
          total,
          total / (double) (KIB * KIB),
          allocated,
          allocated / (double) (KIB * KIB),
          (long) files * PART / (KIB * KIB));
      assertThat(total).isLessThan(files * 128L * KIB);
      // Independent of what bufferedBytes() says: the buffers really are small.
      assertThat(allocated).isLessThan(files * 128L * KIB);

      for (int i = files - 1; i >= 0; i--) {
        outputs.get(i).commit();
        assertThat(outputs.get(i).bufferedBytes()).isZero();
      }
      for (int i = 0; i < files; i++) {
        assertThat(server.get(bucket, "many/p=" + i + "/f.bin"))
            .as("file %d", i)
            .isEqualTo(data[i]);
      }
      S3SinkMetrics m = sink.metrics();
      assertThat(m.requests("PutObject")).isEqualTo(files);
      assertThat(m.requests("CreateMultipartUpload")).isZero();
      assertThat(m.filesCommitted()).isEqualTo(files);
    }
  }

  @Test
  void aLargeFileGrowsItsBuffersAcrossPartBoundariesWithinTheBound() throws IOException {
    int maxPartsInFlight = 2;
    byte[] data = random(3 * PART + 777_777, 7);
    // Odd sizes, some far smaller and some larger than a growing buffer, straddling part ends.
    int[] sizes = {1, 7, 65_537, 1_000_003, 3, 262_139, 2_097_169, 131_071};
    try (S3Sink sink = server.sink(bucket, "big").maxPartsInFlight(maxPartsInFlight).build()) {
      S3StagedOutput staged = (S3StagedOutput) sink.create("big.parquet");
      OutputStream out = staged.stream();
      long bound = (maxPartsInFlight + 1L) * PART;
      long peak = 0;
      int straddled = 0;
      int off = 0;
      for (int i = 0; off < data.length; i++) {
        int n = Math.min(sizes[i % sizes.length], data.length - off);
        if (n == 1) {
          out.write(data[off]);
        } else {
          out.write(data, off, n);
        }
        if (off / PART != (off + n - 1) / PART) {
          straddled++;
        }
        off += n;
        long held = staged.bufferedBytes();
        peak = Math.max(peak, held);
        assertThat(held).as("after %d bytes", off).isLessThanOrEqualTo(bound);
        // At least the bytes of the part being filled are held.
        assertThat(held).as("after %d bytes", off).isGreaterThanOrEqualTo(off % PART);
        if (off == 1) {
          assertThat(held).isEqualTo(S3StagedOutput.INITIAL_BUFFER);
        }
      }
      assertThat(straddled).isGreaterThanOrEqualTo(3);
      assertThat(staged.peakBuffers()).isBetween(1, maxPartsInFlight + 1);
      System.out.printf(
          "one file of %d bytes, %d-byte parts, %d in flight: peak bufferedBytes %d (bound %d)%n",
          data.length, PART, maxPartsInFlight, peak, bound);

      staged.commit();

      assertThat(staged.bufferedBytes()).isZero();
      assertThat(server.get(bucket, "big/big.parquet")).isEqualTo(data);
      S3SinkMetrics m = sink.metrics();
      assertThat(m.requests("CreateMultipartUpload")).isEqualTo(1);
      assertThat(m.requests("UploadPart")).isEqualTo(4);
      assertThat(m.requests("CompleteMultipartUpload")).isEqualTo(1);
      assertThat(m.requests("PutObject")).isZero();
      assertThat(m.bytesUploaded()).isEqualTo(data.length);
    }
  }

  @Test
  void aFileOfExactlyOnePartIsOnePartAndItsBufferNeverExceedsIt() throws IOException {
    byte[] data = random(PART, 8);
    try (S3Sink sink = server.sink(bucket, "exact").build()) {
      StagedOutput staged = sink.create("one.bin");
      // One large write: the buffer is sized for it at once, capped at the part size.
      staged.stream().write(data, 0, PART - 10);
      assertThat(staged.bufferedBytes()).isEqualTo(PART - 10);
      staged.stream().write(data, PART - 10, 10);
      assertThat(staged.bufferedBytes()).isBetween(0L, (long) PART);
      staged.commit();
      assertThat(staged.bufferedBytes()).isZero();
      assertThat(server.get(bucket, "exact/one.bin")).isEqualTo(data);
      assertThat(sink.metrics().requests("UploadPart")).isEqualTo(1);
    }
  }

  @Test
  void aSmallFileGrowsItsBufferByDoubling() throws IOException {
    try (S3Sink sink = server.sink(bucket, "grow").build()) {
      StagedOutput staged = sink.create("g.bin");
      byte[] data = random(300 * KIB + 1, 9);
      staged.stream().write(data, 0, 4);
      assertThat(staged.bufferedBytes()).isEqualTo(S3StagedOutput.INITIAL_BUFFER);
      staged.stream().write(data, 4, 64 * KIB - 4);
      assertThat(staged.bufferedBytes()).isEqualTo(64 * KIB);
      staged.stream().write(data, 64 * KIB, 1);
      assertThat(staged.bufferedBytes()).isEqualTo(128 * KIB);
      // A write larger than double the buffer grows it to fit at once, the next one doubles.
      staged.stream().write(data, 64 * KIB + 1, 300 * KIB - 64 * KIB - 1);
      assertThat(staged.bufferedBytes()).isEqualTo(300 * KIB);
      staged.stream().write(data[300 * KIB]);
      assertThat(staged.bufferedBytes()).isEqualTo(600 * KIB);
      staged.commit();
      assertThat(staged.bufferedBytes()).isZero();
      assertThat(server.get(bucket, "grow/g.bin")).isEqualTo(data);
      assertThat(sink.metrics().requests("PutObject")).isEqualTo(1);
    }
  }

  @Test
  void nothingIsHeldAfterAnAbortWithPartsUploading() throws Exception {
    try (FaultProxy proxy = new FaultProxy(server.endpoint());
        S3Sink sink = S3Server.sink(proxy.endpoint(), bucket, "ab").maxPartsInFlight(2).build()) {
      proxy.inject(FaultProxy.Kind.UPLOAD_PART, FaultProxy.Fault.DELAY, 2);
      StagedOutput staged = sink.create("a.bin");
      staged.stream().write(random(2 * PART + 1000, 10));
      // Two parts are uploading (slowly), and the third has begun.
      assertThat(staged.bufferedBytes()).isEqualTo(2L * PART + S3StagedOutput.INITIAL_BUFFER);
      staged.abort();
      assertThat(staged.bufferedBytes()).isZero();
      assertThat(server.uploads(bucket)).isEmpty();
      assertThat(server.keys(bucket)).isEmpty();
    }
  }
}
