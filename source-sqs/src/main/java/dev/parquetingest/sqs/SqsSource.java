package dev.parquetingest.sqs;

import dev.parquetingest.BadRecordException;
import dev.parquetingest.IngestException;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.Source;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Reads an SQS queue as an endless source: each message body (JSON by default) becomes one row.
 *
 * <p>How it reads: {@link Builder#receiveThreads} threads long-poll the queue ({@code
 * ReceiveMessage} with {@link Builder#waitTime}, up to 10 messages a call) into a buffer of {@link
 * Builder#bufferCapacity} messages; a receiver waits while the buffer is full, so a slow pipeline
 * slows the receiving. The pipeline takes messages from the buffer with {@link #poll}, which waits
 * at most the time it is given.
 *
 * <p>Delivery, at least once: a message is deleted ({@code DeleteMessageBatch}) only when the
 * runtime {@link #acknowledge acknowledges} it, which it does after the file holding its row (or,
 * for an undecodable message, the rejects file holding its body) has been committed. Until then the
 * source keeps the message invisible to other consumers by extending its visibility timeout ({@code
 * ChangeMessageVisibilityBatch}) before it runs out. If the process dies, the messages of its open
 * files become visible again after their visibility timeout and are delivered again; a message
 * whose delete fails, or whose visibility could not be extended in time, may be delivered twice. On
 * {@link #close()} messages still held (buffered, or in a file that was aborted) are released at
 * once (visibility 0) unless {@link Builder#releaseOnClose} is off.
 *
 * <p>Thread-safety: the {@link Source} methods are called from the one pipeline thread; the
 * receiving, deleting and extending threads are internal. Lifecycle: {@link #open()} starts them,
 * {@link #close()} (idempotent) waits for a receive in flight (at most {@code waitTime}), finishes
 * the deletes already acknowledged, releases what is held and closes the client if this source
 * created it.
 */
public final class SqsSource implements Source {
  /** Long-poll wait unless set: the SQS maximum, the fewest empty receives. */
  public static final Duration DEFAULT_WAIT_TIME = Duration.ofSeconds(20);

  /** Visibility timeout of received messages unless set. */
  public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(60);

  /** Messages buffered ahead of the pipeline unless set. */
  public static final int DEFAULT_BUFFER_CAPACITY = 1_000;

  /** Receiving threads unless set. */
  public static final int DEFAULT_RECEIVE_THREADS = 2;

  /** Threads sending deletes unless set. */
  public static final int DEFAULT_DELETE_THREADS = 2;

  /** The most messages one SQS batch call takes. */
  static final int SQS_BATCH = 10;

  private static final Logger LOG = LoggerFactory.getLogger(SqsSource.class);

  private final String queueUrl;
  private final String queueName;
  private final MessageDecoder decoder;
  private final SqsClient client;
  private final boolean ownsClient;
  private final int waitSeconds;
  private final int visibilitySeconds;
  private final long visibilityNanos;
  private final int receiveThreadCount;
  private final int deleteThreadCount;
  private final boolean releaseOnClose;

  private final LinkedBlockingQueue<Held> buffer = new LinkedBlockingQueue<>();
  private final Semaphore room;

  /** Every message received and neither deleted nor released, by receipt handle. */
  private final Map<String, Held> held = new ConcurrentHashMap<>();

  /** Handed to the pipeline, not yet acknowledged, in order (pipeline thread only). */
  private final ArrayDeque<Held> handedOut = new ArrayDeque<>();

  private final List<Thread> receivers = new ArrayList<>();
  private ExecutorService deleter;
  private ScheduledExecutorService extender;
  private volatile boolean closing;
  private boolean opened;
  private boolean closed;

  private long sequence;
  private Held last;
  private long bytesRead;

  private final AtomicLong received = new AtomicLong();
  private final AtomicLong deleted = new AtomicLong();
  private final AtomicLong deleteFailures = new AtomicLong();
  private final AtomicLong extended = new AtomicLong();
  private final AtomicLong released = new AtomicLong();
  private final AtomicLong receiveErrors = new AtomicLong();

  private SqsSource(Builder b) {
    this.queueUrl = b.queueUrl;
    this.queueName = queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
    this.decoder = b.decoder;
    this.ownsClient = b.client == null;
    this.client = b.client != null ? b.client : b.newClient();
    this.waitSeconds = (int) b.waitTime.toSeconds();
    this.visibilitySeconds = (int) b.visibilityTimeout.toSeconds();
    this.visibilityNanos = b.visibilityTimeout.toNanos();
    this.room = new Semaphore(b.bufferCapacity);
    this.receiveThreadCount = b.receiveThreads;
    this.deleteThreadCount = b.deleteThreads;
    this.releaseOnClose = b.releaseOnClose;
  }

  public static Builder builder(String queueUrl) {
    return new Builder(queueUrl);
  }

  /** The queue's name, the last part of its URL. */
  @Override
  public String name() {
    return queueName;
  }

  @Override
  public Schema open() {
    if (opened) {
      throw new IllegalStateException("Cannot open " + queueName + ": already opened");
    }
    opened = true;
    deleter = Executors.newFixedThreadPool(deleteThreadCount, daemon("sqs-delete-" + queueName));
    extender = Executors.newSingleThreadScheduledExecutor(daemon("sqs-visibility-" + queueName));
    long period = Math.max(visibilityNanos / 4, TimeUnit.MILLISECONDS.toNanos(200));
    extender.scheduleWithFixedDelay(this::extendVisibility, period, period, TimeUnit.NANOSECONDS);
    for (int i = 0; i < receiveThreadCount; i++) {
      Thread t = new Thread(this::receiveLoop, "sqs-receive-" + queueName + "-" + i);
      t.setDaemon(true);
      receivers.add(t);
      t.start();
    }
    return decoder.schema();
  }

  @Override
  public boolean next(MutableRow row) {
    while (true) {
      if (poll(row, 1, TimeUnit.SECONDS) == Poll.RECORD) {
        return true;
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new IngestException("Cannot receive from " + queueName + ": interrupted");
      }
    }
  }

  @Override
  public Poll poll(MutableRow row, long timeout, TimeUnit unit) {
    Held h = buffer.poll();
    if (h == null) {
      try {
        h = buffer.poll(timeout, unit);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Poll.IDLE;
      }
      if (h == null) {
        return Poll.IDLE;
      }
    }
    room.release();
    h.sequence = ++sequence;
    handedOut.addLast(h);
    last = h;
    String body = h.body;
    h.body = null; // held until acknowledged: keep only what a delete needs
    bytesRead += body.length();
    try {
      decoder.decode(body, row);
    } catch (MessageDecodeException e) {
      throw new BadRecordException(
          e.getMessage(), queueName + " message " + h.messageId, -1, e.column(), body);
    }
    return Poll.RECORD;
  }

  @Override
  public Position position() {
    Held h = last;
    return h == null ? null : new SqsPosition(h.sequence, h.messageId);
  }

  /**
   * Deletes every message handed out up to and including {@code position}, in batches of ten, on
   * the delete threads; {@link #close()} waits for them.
   */
  @Override
  public void acknowledge(Position position) {
    long upTo = ((SqsPosition) position).sequence;
    List<Held> batch = new ArrayList<>(SQS_BATCH);
    while (!handedOut.isEmpty() && handedOut.peekFirst().sequence <= upTo) {
      Held h = handedOut.pollFirst();
      held.remove(h.receipt);
      batch.add(h);
      if (batch.size() == SQS_BATCH) {
        submitDelete(batch);
        batch = new ArrayList<>(SQS_BATCH);
      }
    }
    if (!batch.isEmpty()) {
      submitDelete(batch);
    }
  }

  private void submitDelete(List<Held> batch) {
    deleter.execute(() -> delete(batch));
  }

  private void delete(List<Held> batch) {
    List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      entries.add(
          DeleteMessageBatchRequestEntry.builder()
              .id(Integer.toString(i))
              .receiptHandle(batch.get(i).receipt)
              .build());
    }
    try {
      List<BatchResultErrorEntry> failed =
          client.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries)).failed();
      deleted.addAndGet(batch.size() - failed.size());
      if (!failed.isEmpty()) {
        deleteFailures.addAndGet(failed.size());
        LOG.warn(
            "Cannot delete {} committed messages from {} ({}): they will be delivered again",
            failed.size(),
            queueName,
            failed.get(0).message());
      }
    } catch (SdkException e) {
      deleteFailures.addAndGet(batch.size());
      LOG.warn(
          "Cannot delete {} committed messages from {}: {}; they will be delivered again",
          batch.size(),
          queueName,
          e.toString());
    }
  }

  private void receiveLoop() {
    long backoffMillis = 0;
    while (!closing) {
      int permits;
      try {
        if (!room.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
      } catch (InterruptedException e) {
        return;
      }
      permits = 1;
      while (permits < SQS_BATCH && room.tryAcquire()) {
        permits++;
      }
      int max = permits;
      long sentNanos = System.nanoTime();
      List<Message> messages;
      try {
        messages =
            client
                .receiveMessage(
                    r ->
                        r.queueUrl(queueUrl)
                            .maxNumberOfMessages(max)
                            .waitTimeSeconds(waitSeconds)
                            .visibilityTimeout(visibilitySeconds))
                .messages();
        backoffMillis = 0;
      } catch (SdkException e) {
        room.release(permits);
        if (closing) {
          return;
        }
        receiveErrors.incrementAndGet();
        backoffMillis = Math.min(5_000, Math.max(100, backoffMillis * 2));
        LOG.warn("Cannot receive from {}: {}; retrying in {} ms", queueName, e, backoffMillis);
        try {
          Thread.sleep(backoffMillis);
        } catch (InterruptedException ie) {
          return;
        }
        continue;
      }
      room.release(permits - messages.size());
      received.addAndGet(messages.size());
      for (Message m : messages) {
        Held h = new Held(m, sentNanos + visibilityNanos);
        held.put(m.receiptHandle(), h);
        buffer.add(h);
      }
    }
  }

  /**
   * Extends the visibility of every held message that would become visible within half a timeout.
   */
  private void extendVisibility() {
    try {
      long now = System.nanoTime();
      List<Held> due = new ArrayList<>();
      for (Held h : held.values()) {
        if (h.visibleAtNanos - now < visibilityNanos / 2) {
          due.add(h);
        }
      }
      changeVisibility(due, visibilitySeconds);
      long until = now + visibilityNanos;
      for (Held h : due) {
        h.visibleAtNanos = until;
      }
      extended.addAndGet(due.size());
    } catch (RuntimeException e) {
      LOG.warn("Cannot extend the visibility of messages of {}: {}", queueName, e.toString());
    }
  }

  private void changeVisibility(List<Held> messages, int seconds) {
    for (int from = 0; from < messages.size(); from += SQS_BATCH) {
      List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(SQS_BATCH);
      for (int i = from; i < Math.min(from + SQS_BATCH, messages.size()); i++) {
        entries.add(
            ChangeMessageVisibilityBatchRequestEntry.builder()
                .id(Integer.toString(i - from))
                .receiptHandle(messages.get(i).receipt)
                .visibilityTimeout(seconds)
                .build());
      }
      client.changeMessageVisibilityBatch(r -> r.queueUrl(queueUrl).entries(entries));
    }
  }

  @Override
  public long bytesRead() {
    return bytesRead;
  }

  /** Messages received from the queue so far. */
  public long messagesReceived() {
    return received.get();
  }

  /** Messages deleted after their acknowledgement. */
  public long messagesDeleted() {
    return deleted.get();
  }

  /** Acknowledged messages whose delete failed (they will be delivered again). */
  public long deleteFailures() {
    return deleteFailures.get();
  }

  /** Visibility extensions sent, one per message each time. */
  public long visibilityExtensions() {
    return extended.get();
  }

  /** Messages made visible again at close without being deleted. */
  public long messagesReleased() {
    return released.get();
  }

  /** Receive calls that failed (and were retried). */
  public long receiveErrors() {
    return receiveErrors.get();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    closing = true;
    RuntimeException failure = null;
    try {
      for (Thread t : receivers) {
        t.join(TimeUnit.SECONDS.toMillis(waitSeconds + 5L));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (extender != null) {
      extender.shutdownNow();
    }
    if (deleter != null) {
      deleter.shutdown();
      try {
        if (!deleter.awaitTermination(60, TimeUnit.SECONDS)) {
          failure = new IngestException("Cannot close " + queueName + ": deletes still running");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (releaseOnClose && !held.isEmpty()) {
      List<Held> rest = new ArrayList<>(held.values());
      try {
        changeVisibility(rest, 0);
        released.addAndGet(rest.size());
      } catch (SdkException e) {
        LOG.warn(
            "Cannot release {} messages of {}: {}; they become visible after their timeout",
            rest.size(),
            queueName,
            e.toString());
      }
    }
    held.clear();
    buffer.clear();
    handedOut.clear();
    if (ownsClient) {
      client.close();
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * A received message, until when it is invisible to others, and its body until the pipeline takes
   * it (after that only the receipt and id stay, until the delete).
   */
  private static final class Held {
    final String receipt;
    final String messageId;
    String body;
    volatile long visibleAtNanos;
    long sequence;

    Held(Message message, long visibleAtNanos) {
      this.receipt = message.receiptHandle();
      this.messageId = message.messageId();
      this.body = message.body();
      this.visibleAtNanos = visibleAtNanos;
    }
  }

  /** The n-th message handed to the pipeline by this source. Immutable. */
  private static final class SqsPosition implements Position {
    final long sequence;
    final String messageId;

    SqsPosition(long sequence, String messageId) {
      this.sequence = sequence;
      this.messageId = messageId;
    }

    @Override
    public String describe() {
      return "message " + messageId + " (#" + sequence + ")";
    }
  }

  /**
   * Configures an {@link SqsSource}. Each setter checks its value at once, naming the option; not
   * thread-safe.
   */
  public static final class Builder {
    private final String queueUrl;
    private MessageDecoder decoder;
    private SqsClient client;
    private URI endpoint;
    private String region;
    private AwsCredentialsProvider credentials;
    private Duration waitTime = DEFAULT_WAIT_TIME;
    private Duration visibilityTimeout = DEFAULT_VISIBILITY_TIMEOUT;
    private int bufferCapacity = DEFAULT_BUFFER_CAPACITY;
    private int receiveThreads = DEFAULT_RECEIVE_THREADS;
    private int deleteThreads = DEFAULT_DELETE_THREADS;
    private boolean releaseOnClose = true;

    private Builder(String queueUrl) {
      Objects.requireNonNull(queueUrl, "queueUrl");
      if (!queueUrl.startsWith("http://") && !queueUrl.startsWith("https://")) {
        throw new IllegalArgumentException(
            "Invalid queueUrl '" + queueUrl + "': expected an http(s) URL as SQS returns it");
      }
      this.queueUrl = queueUrl;
    }

    /**
     * Message bodies are JSON objects decoded into rows of {@code schema}; see {@link
     * JsonMessageDecoder}.
     */
    public Builder json(Schema schema) {
      return decoder(JsonMessageDecoder.of(schema));
    }

    /** How message bodies become rows. Required (or {@link #json}). */
    public Builder decoder(MessageDecoder decoder) {
      this.decoder = Objects.requireNonNull(decoder, "decoder");
      return this;
    }

    /**
     * A client of the application's; the source does not close it. Its HTTP client must allow a
     * connection per receive and delete thread. Default: the source builds (and closes) one from
     * {@link #region}, {@link #endpointOverride} and {@link #credentialsProvider}.
     */
    public Builder client(SqsClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** An SQS-compatible endpoint instead of AWS's, e.g. a local test server. */
    public Builder endpointOverride(URI endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpointOverride");
      return this;
    }

    /** The AWS region, e.g. {@code eu-west-1}. Default: the SDK's region lookup. */
    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    /** Credentials. Default: the SDK's default chain. */
    public Builder credentialsProvider(AwsCredentialsProvider provider) {
      this.credentials = Objects.requireNonNull(provider, "credentialsProvider");
      return this;
    }

    /**
     * Long-poll wait of each receive, 0..20 s. Longer means fewer empty receives (SQS bills each
     * call); shorter means a faster {@link SqsSource#close()}, which waits for a receive in flight.
     * Default 20 s.
     */
    public Builder waitTime(Duration wait) {
      Objects.requireNonNull(wait, "waitTime");
      if (wait.isNegative() || wait.toSeconds() > 20 || wait.toNanos() % 1_000_000_000L != 0) {
        throw new IllegalArgumentException(
            "Invalid waitTime " + wait + ": must be whole seconds from 0 to 20");
      }
      this.waitTime = wait;
      return this;
    }

    /**
     * Visibility timeout given to received messages, 1 s..12 h; the source extends it while a
     * message is held. After a crash, held messages come back after at most this long, so shorter
     * means faster redelivery and more extension calls. Default 60 s.
     */
    public Builder visibilityTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "visibilityTimeout");
      if (timeout.toSeconds() < 1
          || timeout.toSeconds() > 43_200
          || timeout.toNanos() % 1_000_000_000L != 0) {
        throw new IllegalArgumentException(
            "Invalid visibilityTimeout " + timeout + ": must be whole seconds from 1 to 43200");
      }
      this.visibilityTimeout = timeout;
      return this;
    }

    /**
     * Messages received ahead of the pipeline. Enough to keep it busy through a receive's round
     * trip; each costs its body's size in memory. Default {@value #DEFAULT_BUFFER_CAPACITY}.
     */
    public Builder bufferCapacity(int messages) {
      if (messages < 1) {
        throw new IllegalArgumentException(
            "Invalid bufferCapacity " + messages + ": must be at least 1");
      }
      this.bufferCapacity = messages;
      return this;
    }

    /**
     * Threads long-polling the queue; each receive brings at most 10 messages, so more threads
     * raise throughput when the round trip dominates. Default {@value #DEFAULT_RECEIVE_THREADS}.
     */
    public Builder receiveThreads(int threads) {
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException("Invalid receiveThreads " + threads + ": must be 1..64");
      }
      this.receiveThreads = threads;
      return this;
    }

    /** Threads sending deletes after commits. Default {@value #DEFAULT_DELETE_THREADS}. */
    public Builder deleteThreads(int threads) {
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException("Invalid deleteThreads " + threads + ": must be 1..64");
      }
      this.deleteThreads = threads;
      return this;
    }

    /**
     * Whether {@link SqsSource#close()} makes messages it still holds visible again at once
     * (visibility 0) instead of letting their timeout run out. Default true; off, a close behaves
     * for the queue as a crash does.
     */
    public Builder releaseOnClose(boolean release) {
      this.releaseOnClose = release;
      return this;
    }

    /**
     * @throws IllegalStateException if no decoder is set
     */
    public SqsSource build() {
      if (decoder == null) {
        throw new IllegalStateException(
            "Cannot build SqsSource for " + queueUrl + ": no decoder set (use json(schema))");
      }
      return new SqsSource(this);
    }

    private SqsClient newClient() {
      SqsClientBuilder b =
          SqsClient.builder()
              .httpClientBuilder(
                  Apache5HttpClient.builder()
                      .maxConnections(receiveThreads + deleteThreads + 2)
                      .socketTimeout(waitTime.plusSeconds(30)));
      if (region != null) {
        b.region(Region.of(region));
      }
      if (endpoint != null) {
        b.endpointOverride(endpoint);
      }
      if (credentials != null) {
        b.credentialsProvider(credentials);
      }
      return b.build();
    }
  }
}
