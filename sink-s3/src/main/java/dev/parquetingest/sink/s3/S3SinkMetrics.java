package dev.parquetingest.sink.s3;

import dev.parquetingest.spi.SinkCounters;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A snapshot of what an {@link S3Sink} sent to S3: HTTP requests by operation ({@code PutObject},
 * {@code UploadPart}, ...), retries, payload bytes and files. Immutable and thread-safe; take a new
 * one with {@link S3Sink#metrics()}.
 */
public final class S3SinkMetrics {
  private final Map<String, Long> requests;
  private final Map<String, Long> calls;
  private final Map<String, Long> failedCalls;
  private final long bytesUploaded;
  private final long filesCommitted;
  private final long filesAborted;

  S3SinkMetrics(
      Map<String, Long> requests,
      Map<String, Long> calls,
      Map<String, Long> failedCalls,
      long bytesUploaded,
      long filesCommitted,
      long filesAborted) {
    this.requests = Collections.unmodifiableMap(new TreeMap<>(requests));
    this.calls = Collections.unmodifiableMap(new TreeMap<>(calls));
    this.failedCalls = Collections.unmodifiableMap(new TreeMap<>(failedCalls));
    this.bytesUploaded = bytesUploaded;
    this.filesCommitted = filesCommitted;
    this.filesAborted = filesAborted;
  }

  /** HTTP requests sent, retries included, by S3 operation name, sorted by name. */
  public Map<String, Long> requests() {
    return requests;
  }

  /** HTTP requests sent for one operation, retries included; 0 if none. */
  public long requests(String operation) {
    return requests.getOrDefault(operation, 0L);
  }

  /** HTTP requests of every kind, retries included. */
  public long totalRequests() {
    return requests.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Requests sent again after a failed attempt: {@link #totalRequests()} minus calls. */
  public long retries() {
    long callCount = calls.values().stream().mapToLong(Long::longValue).sum();
    return Math.max(0, totalRequests() - callCount);
  }

  /** Calls that failed after their last attempt, by operation name. */
  public Map<String, Long> failedCalls() {
    return failedCalls;
  }

  /** Payload bytes of parts and objects that S3 accepted (not counting retried attempts). */
  public long bytesUploaded() {
    return bytesUploaded;
  }

  /** Files made visible. */
  public long filesCommitted() {
    return filesCommitted;
  }

  /** Files aborted before they became visible. */
  public long filesAborted() {
    return filesAborted;
  }

  /**
   * A flat form for reports and metric facades: {@code s3.requests.<Operation>}, {@code
   * s3.requests}, {@code s3.retries}, {@code s3.failed.<Operation>}, {@code s3.bytesUploaded},
   * {@code s3.filesCommitted}, {@code s3.filesAborted}.
   */
  public Map<String, Long> toMap() {
    Map<String, Long> out = new LinkedHashMap<>();
    requests.forEach((k, v) -> out.put("s3.requests." + k, v));
    out.put("s3.requests", totalRequests());
    out.put("s3.retries", retries());
    failedCalls.forEach((k, v) -> out.put("s3.failed." + k, v));
    out.put("s3.bytesUploaded", bytesUploaded);
    out.put("s3.filesCommitted", filesCommitted);
    out.put("s3.filesAborted", filesAborted);
    return Collections.unmodifiableMap(out);
  }

  /**
   * The typed form for metric facades, sink name {@code s3}: requests and failed calls by
   * operation, retries, bytes uploaded, files committed and aborted (the total of the requests, a
   * sum over operations, is left out).
   */
  public SinkCounters toSinkCounters() {
    SinkCounters.Builder out = SinkCounters.builder("s3");
    requests.forEach((k, v) -> out.add(SinkCounters.Counter.REQUESTS, k, v));
    out.add(SinkCounters.Counter.RETRIES, retries());
    failedCalls.forEach((k, v) -> out.add(SinkCounters.Counter.FAILURES, k, v));
    out.add(SinkCounters.Counter.BYTES_UPLOADED, bytesUploaded);
    out.add(SinkCounters.Counter.FILES_COMMITTED, filesCommitted);
    out.add(SinkCounters.Counter.FILES_ABORTED, filesAborted);
    return out.build();
  }

  @Override
  public String toString() {
    return "S3SinkMetrics" + toMap();
  }
}
