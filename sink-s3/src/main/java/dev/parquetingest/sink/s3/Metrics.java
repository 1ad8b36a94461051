package dev.parquetingest.sink.s3;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts what one {@link S3Sink} sends: as an SDK interceptor, every HTTP attempt and every call by
 * operation; from the sink, payload bytes and files. Thread-safe.
 */
final class Metrics implements ExecutionInterceptor {
  private final Map<String, LongAdder> attempts = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> failedCalls = new ConcurrentHashMap<>();
  private final LongAdder bytesUploaded = new LongAdder();
  private final LongAdder filesCommitted = new LongAdder();
  private final LongAdder filesAborted = new LongAdder();

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    count(calls, attributes);
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    count(attempts, attributes);
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    count(failedCalls, attributes);
  }

  private static void count(Map<String, LongAdder> counters, ExecutionAttributes attributes) {
    String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    counters
        .computeIfAbsent(operation == null ? "Unknown" : operation, k -> new LongAdder())
        .increment();
  }

  void uploaded(long bytes) {
    bytesUploaded.add(bytes);
  }

  void committed() {
    filesCommitted.increment();
  }

  void aborted() {
    filesAborted.increment();
  }

  S3SinkMetrics snapshot() {
    return new S3SinkMetrics(
        sums(attempts),
        sums(calls),
        sums(failedCalls),
        bytesUploaded.sum(),
        filesCommitted.sum(),
        filesAborted.sum());
  }

  private static Map<String, Long> sums(Map<String, LongAdder> counters) {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
