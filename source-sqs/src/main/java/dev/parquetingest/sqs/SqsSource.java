package dev.parquetingest.sqs;

import dev.parquetingest.common.BadRecordException;
import dev.parquetingest.common.IngestException;
import dev.parquetingest.decoder.JsonMessageDecoder;
import dev.parquetingest.decoder.MessageDecodeException;
import dev.parquetingest.decoder.MessageDecoder;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.SharedSource;
import dev.parquetingest.spi.Source;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
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
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Reads an SQS queue as an endless source: each message body (JSON by default) becomes one row.
 *
 * <p>How it reads: {@link Builder#receiveThreads} threads long-poll the queue ({@code
 * ReceiveMessage} with {@link Builder#waitTime}, up to 10 messages a call) into a buffer of {@link
 * Builder#bufferCapacity} messages; a receiver waits while the buffer is full, so a slow pipeline
 * slows the receiving. The pipeline takes messages from the buffer with {@code poll} (of each
 * reader), which waits at most the time it is given.
 *
 * <p>Delivery, at least once: a message is deleted ({@code DeleteMessageBatch}) only when the
 * runtime acknowledges it, which it does after the file holding its row (or, for an undecodable
 * message, the rejects file holding its body) has been committed. Until then the source keeps the
 * message invisible to other consumers by extending its visibility timeout ({@code
 * ChangeMessageVisibilityBatch}) before it runs out. If the process dies, the messages of its open
 * files become visible again after their visibility timeout and are delivered again; a message
 * whose delete fails, or whose visibility could not be extended in time, may be delivered twice. On
 * {@link #close()} messages still held (buffered, or in a file that was aborted) are released at
 * once (visibility 0) unless {@link Builder#releaseOnClose} is off.
 *
 * <p>Several workers: as a {@link SharedSource}, each worker reads through its own {@link Reader}
 * ({@link #newReader()}), a competing consumer of the queue with its own receive threads, buffer,
 * held messages, positions and acknowledgements; the readers share the client and the
 * configuration. Closing a reader retires it: it releases what it holds, as {@link #close()} does,
 * so the other readers receive those messages at once. This object itself receives nothing: the
 * runtime opens it for the schema and reads through readers only, also with one worker.
 *
 * <p>Backlog: {@link #backlog()} is the queue's {@code ApproximateNumberOfMessages} (visible
 * messages; not those already received into a reader's buffer), cached and refreshed in the
 * background at most every {@link Builder#backlogRefreshInterval}, and only while someone reads it.
 *
 * <p>Thread-safety: the {@link Source} methods of each reader are called from one pipeline thread
 * at a time; {@link #newReader()}, {@link #backlog()} and the counters are thread-safe; the
 * receiving, deleting and extending threads are internal. Lifecycle: {@link #open()} returns the
 * schema; a reader's {@code open()} starts its threads, its {@code close()} (idempotent) waits for
 * a receive in flight (at most {@code waitTime}), finishes the deletes already acknowledged and
 * releases what is held; readers are closed before the source, whose {@link #close()} closes the
 * client if it created it.
 */
public final class SqsSource implements SharedSource {
  /** Long-poll wait unless set: the SQS maximum, the fewest empty receives. */
  public static final Duration DEFAULT_WAIT_TIME = Duration.ofSeconds(20);

  /** Visibility timeout of received messages unless set. */
  public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(60);

  /** Messages buffered ahead of the pipeline unless set (per reader). */
  public static final int DEFAULT_BUFFER_CAPACITY = 1_000;

  /** Receiving threads unless set (per reader). */
  public static final int DEFAULT_RECEIVE_THREADS = 2;

  /** Threads sending deletes unless set (per reader). */
  public static final int DEFAULT_DELETE_THREADS = 2;

  /** How old the cached {@link #backlog()} may get unless set. */
  public static final Duration DEFAULT_BACKLOG_REFRESH_INTERVAL = Duration.ofSeconds(5);

  /** Readers an HTTP client built by the source has connections for (it opens them lazily). */
  static final int OWNED_CLIENT_READERS = 16;

  /** The most messages one SQS batch call takes. */
  static final int SQS_BATCH = 10;

  private static final Logger LOG = LoggerFactory.getLogger(SqsSource.class);

  private final String queueUrl;
  private final String queueName;
  private final Supplier<? extends MessageDecoder> decoders;
  private final MessageDecoder decoder;
  private final Schema schema;
  private final SqsClient client;
  private final boolean ownsClient;
  private final int waitSeconds;
  private final int visibilitySeconds;
  private final long visibilityNanos;
  private final int bufferCapacity;
  private final int receiveThreadCount;
  private final int deleteThreadCount;
  private final boolean releaseOnClose;
  private final long backlogRefreshNanos;

  /** Sums over every reader, closed ones included. */
  private final SqsCounters totals = new SqsCounters(null);

  private final AtomicInteger readerIds = new AtomicInteger();

  /** Readers opened and not yet closed. */
  private final Set<Reader> openReaders = ConcurrentHashMap.newKeySet();

  private boolean opened;
  private volatile boolean closed;

  /** The cached queue depth, or -1; see {@link #backlog()}. */
  private volatile long backlog = -1;

  private volatile long backlogCheckedNanos;
  private volatile boolean backlogChecked;
  private volatile boolean backlogFailing;
  private final AtomicBoolean backlogRefreshing = new AtomicBoolean();
  private final AtomicLong backlogChecks = new AtomicLong();

  /** One thread, started by the first {@link #backlog()}, ended after a minute unused. */
  private final ThreadPoolExecutor backlogThread;

  private SqsSource(Builder b) {
    this.queueUrl = b.queueUrl;
    this.queueName = queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
    this.decoders = b.decoders;
    this.decoder = Objects.requireNonNull(b.decoders.get(), "decoder");
    this.schema = decoder.schema();
    this.ownsClient = b.client == null;
    this.client = b.client != null ? b.client : b.newClient();
    this.waitSeconds = (int) b.waitTime.toSeconds();
    this.visibilitySeconds = (int) b.visibilityTimeout.toSeconds();
    this.visibilityNanos = b.visibilityTimeout.toNanos();
    this.bufferCapacity = b.bufferCapacity;
    this.receiveThreadCount = b.receiveThreads;
    this.deleteThreadCount = b.deleteThreads;
    this.releaseOnClose = b.releaseOnClose;
    this.backlogRefreshNanos = b.backlogRefreshInterval.toNanos();
    this.backlogThread =
        new ThreadPoolExecutor(
            1,
            1,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            daemon("sqs-backlog-" + queueName));
    backlogThread.allowCoreThreadTimeOut(true);
  }

  public static Builder builder(String queueUrl) {
    return new Builder(queueUrl);
  }

  /** The queue's name, the last part of its URL. */
  @Override
  public String name() {
    return queueName;
  }

  /** Returns the schema; starts nothing (each reader's {@code open()} does). */
  @Override
  public Schema open() {
    if (opened) {
      throw new IllegalStateException("Cannot open " + queueName + ": already opened");
    }
    if (closed) {
      throw new IllegalStateException("Cannot open " + queueName + ": closed");
    }
    opened = true;
    return schema;
  }

  /**
   * A new competing consumer of the queue, sharing this source's client and configuration, with its
   * own receive, delete and visibility threads (started by its {@link Reader#open()}), buffer, held
   * messages, positions and acknowledgements. Thread-safe.
   *
   * <p>Why its threads are its own, not pools shared by all readers: the receive threads fill the
   * reader's buffer, whose bound is the reader's prefetch, so receiving throughput grows with the
   * workers as it should, and a retired reader stops receiving at once; the delete and visibility
   * threads do work proportional to what the reader holds (up to a file's rows), so they scale the
   * same way, and closing a reader waits for its own deletes and its own last extension alone (an
   * extension that ran after the release would hide the released messages for another timeout). A
   * reader thus costs what a single {@code SqsSource} costs: {@code receiveThreads + deleteThreads
   * + 1} threads; only the client (its connection pool), the counters' totals and the backlog are
   * shared.
   *
   * @throws IllegalStateException once this source is closed
   */
  @Override
  public Reader newReader() {
    if (closed) {
      throw new IllegalStateException("Cannot add a reader to " + queueName + ": closed");
    }
    MessageDecoder d = Objects.requireNonNull(decoders.get(), "decoder");
    if (!d.schema().equals(schema)) {
      throw new IllegalStateException(
          "Cannot add a reader to " + queueName + ": its decoder has another schema");
    }
    return new Reader(readerIds.incrementAndGet(), d);
  }

  /**
   * The queue's {@code ApproximateNumberOfMessages} (messages waiting to be received), or -1 until
   * it is first known and while it cannot be read. Never blocks: returns the cached figure, and if
   * it is older than {@link Builder#backlogRefreshInterval} starts a refresh ({@code
   * GetQueueAttributes}) on this source's backlog thread, one at a time. Thread-safe.
   */
  @Override
  public long backlog() {
    if (!closed
        && (!backlogChecked || System.nanoTime() - backlogCheckedNanos >= backlogRefreshNanos)
        && backlogRefreshing.compareAndSet(false, true)) {
      try {
        backlogThread.execute(this::refreshBacklog);
      } catch (RejectedExecutionException e) { // closed meanwhile
        backlogRefreshing.set(false);
      }
    }
    return backlog;
  }

  private void refreshBacklog() {
    try {
      String n =
          client
              .getQueueAttributes(
                  r ->
                      r.queueUrl(queueUrl)
                          .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
              .attributes()
              .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
      if (n == null) {
        throw new IllegalStateException("no ApproximateNumberOfMessages in the reply");
      }
      backlog = Long.parseLong(n);
      if (backlogFailing) {
        backlogFailing = false;
        LOG.info("Reading the backlog of {} again", queueName);
      }
    } catch (RuntimeException e) { // SdkException, a bad number: the figure is unknown
      backlog = -1;
      if (!backlogFailing) {
        backlogFailing = true;
        LOG.warn("Cannot read the backlog of {} (reported as -1 until it can): {}", queueName, e);
      } else {
        LOG.debug("Cannot read the backlog of {}: {}", queueName, e.toString());
      }
    } finally {
      backlogCheckedNanos = System.nanoTime();
      backlogChecked = true;
      backlogChecks.incrementAndGet();
      backlogRefreshing.set(false);
    }
  }

  /** {@code GetQueueAttributes} calls made for {@link #backlog()}, failed ones included. */
  long backlogChecks() {
    return backlogChecks.get();
  }

  /** The counts of every reader added up, closed readers included. */
  public SqsCounters counters() {
    return totals;
  }

  /**
   * Closes the client if this source created it. The readers from {@link #newReader()} must be
   * closed first: closing the client under them would fail their calls, so one still open is
   * reported (a warning) and left to its worker.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    backlogThread.shutdownNow();
    if (!openReaders.isEmpty()) {
      LOG.warn(
          "Closing {} with {} readers still open: they will fail", queueName, openReaders.size());
    }
    if (ownsClient) {
      client.close();
    }
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * One competing consumer of the queue, made by {@link SqsSource#newReader()}: receives into its
   * own buffer, hands messages to its one pipeline thread, deletes what that thread acknowledges
   * and keeps what it holds invisible to others. {@link #close()} retires it: what it holds and did
   * not have acknowledged is released (visibility 0, unless {@link Builder#releaseOnClose} is off),
   * so the other readers receive it at once. Its {@link Source} methods are called from one thread
   * at a time; its counters and {@link #backlog()} are thread-safe.
   */
  public final class Reader implements Source {
    private final int id;
    private final String threadName;
    private final MessageDecoder readerDecoder;
    private final LinkedBlockingQueue<Held> buffer = new LinkedBlockingQueue<>();
    private final Semaphore room;

    /** Every message received and neither deleted nor released, by receipt handle. */
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    /** Handed to the pipeline, not yet acknowledged, in order (pipeline thread only). */
    private final ArrayDeque<Held> handedOut = new ArrayDeque<>();

    private final List<Thread> receivers = new ArrayList<>();
    private final SqsCounters counts = new SqsCounters(totals);
    private ExecutorService deleter;
    private ScheduledExecutorService extender;
    private volatile boolean closing;
    private boolean opened;
    private boolean closed;

    private long sequence;
    private Held last;
    private long bytesRead;

    private Reader(int id, MessageDecoder decoder) {
      this.id = id;
      this.threadName = id == 0 ? queueName : queueName + "-r" + id;
      this.readerDecoder = decoder;
      this.room = new Semaphore(bufferCapacity);
    }

    /** The queue's name, as {@link SqsSource#name()}. */
    @Override
    public String name() {
      return queueName;
    }

    /** Starts receiving. */
    @Override
    public Schema open() {
      if (opened) {
        throw new IllegalStateException("Cannot open " + threadName + ": already opened");
      }
      if (closed || SqsSource.this.closed) {
        throw new IllegalStateException("Cannot open " + threadName + ": closed");
      }
      opened = true;
      openReaders.add(this);
      deleter = Executors.newFixedThreadPool(deleteThreadCount, daemon("sqs-delete-" + threadName));
      extender = Executors.newSingleThreadScheduledExecutor(daemon("sqs-visibility-" + threadName));
      long period = Math.max(visibilityNanos / 4, TimeUnit.MILLISECONDS.toNanos(200));
      extender.scheduleWithFixedDelay(this::extendVisibility, period, period, TimeUnit.NANOSECONDS);
      for (int i = 0; i < receiveThreadCount; i++) {
        Thread t = new Thread(this::receiveLoop, "sqs-receive-" + threadName + "-" + i);
        t.setDaemon(true);
        receivers.add(t);
        t.start();
      }
      return schema;
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
        readerDecoder.decode(body, row);
      } catch (MessageDecodeException e) {
        throw new BadRecordException(
            e.getMessage(), queueName + " message " + h.messageId, -1, e.column(), body);
      }
      return Poll.RECORD;
    }

    @Override
    public Position position() {
      Held h = last;
      return h == null ? null : new SqsPosition(this, h.sequence, h.messageId);
    }

    /**
     * Deletes every message this reader handed out up to and including {@code position}, in batches
     * of ten, on its delete threads; {@link #close()} waits for them.
     *
     * @throws IllegalArgumentException for a position of another reader
     */
    @Override
    public void acknowledge(Position position) {
      if (!(position instanceof SqsPosition) || ((SqsPosition) position).reader != this) {
        throw new IllegalArgumentException(
            "Cannot acknowledge " + position + " on " + threadName + ": not one of its positions");
      }
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

    private void count(SqsCounters.Stat stat, long n) {
      counts.add(stat, n);
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
        count(SqsCounters.Stat.DELETED, batch.size() - failed.size());
        if (!failed.isEmpty()) {
          count(SqsCounters.Stat.DELETE_FAILURES, failed.size());
          LOG.warn(
              "Cannot delete {} committed messages from {} ({}): they will be delivered again",
              failed.size(),
              queueName,
              failed.get(0).message());
        }
      } catch (SdkException e) {
        count(SqsCounters.Stat.DELETE_FAILURES, batch.size());
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
          count(SqsCounters.Stat.RECEIVE_ERRORS, 1);
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
        count(SqsCounters.Stat.RECEIVED, messages.size());
        for (Message m : messages) {
          Held h = new Held(m, sentNanos + visibilityNanos);
          held.put(m.receiptHandle(), h);
          buffer.add(h);
        }
      }
    }

    /**
     * Extends the visibility of every held message that would become visible within half a timeout;
     * stops between batches once the reader is closing, so that {@link #close()}, which waits for
     * it, releases last.
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
        long until = now + visibilityNanos;
        for (int from = 0; from < due.size() && !closing; from += SQS_BATCH) {
          List<Held> batch = due.subList(from, Math.min(from + SQS_BATCH, due.size()));
          changeVisibility(batch, visibilitySeconds);
          for (Held h : batch) {
            h.visibleAtNanos = until;
          }
          count(SqsCounters.Stat.EXTENDED, batch.size());
        }
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

    /** The shared source's figure: see {@link SqsSource#backlog()}. */
    @Override
    public long backlog() {
      return SqsSource.this.backlog();
    }

    /** This reader's counts (also added to {@link SqsSource#counters()}). */
    public SqsCounters counters() {
      return counts;
    }

    /**
     * Retires the reader: stops receiving (waiting for a receive in flight, at most {@code
     * waitTime}), waits for the last visibility extension and for the deletes already acknowledged,
     * then releases every message still held, handed out or buffered (unless {@link
     * Builder#releaseOnClose} is off). Idempotent.
     */
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
        if (extender != null) {
          // shutdown() cancels the periodic task; an extension under way stops at its next batch
          extender.shutdown();
          if (!extender.awaitTermination(30, TimeUnit.SECONDS)) {
            extender.shutdownNow();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        if (extender != null) {
          extender.shutdownNow();
        }
      }
      if (deleter != null) {
        deleter.shutdown();
        try {
          if (!deleter.awaitTermination(60, TimeUnit.SECONDS)) {
            failure = new IngestException("Cannot close " + threadName + ": deletes still running");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (releaseOnClose && !held.isEmpty()) {
        List<Held> rest = new ArrayList<>(held.values());
        try {
          changeVisibility(rest, 0);
          count(SqsCounters.Stat.RELEASED, rest.size());
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
      openReaders.remove(this);
      if (failure != null) {
        throw failure;
      }
    }

    @Override
    public String toString() {
      return "SqsSource.Reader[" + threadName + "]";
    }
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

  /** The n-th message handed to the pipeline by one reader. Immutable. */
  private static final class SqsPosition implements Position {
    final Reader reader;
    final long sequence;
    final String messageId;

    SqsPosition(Reader reader, long sequence, String messageId) {
      this.reader = reader;
      this.sequence = sequence;
      this.messageId = messageId;
    }

    @Override
    public String describe() {
      return "message " + messageId + " (#" + sequence + ")";
    }

    @Override
    public String toString() {
      return describe();
    }
  }

  /**
   * Configures an {@link SqsSource}. Each setter checks its value at once, naming the option; not
   * thread-safe.
   */
  public static final class Builder {
    private final String queueUrl;
    private Supplier<? extends MessageDecoder> decoders;
    private SqsClient client;
    private URI endpoint;
    private String region;
    private AwsCredentialsProvider credentials;
    private Duration waitTime = DEFAULT_WAIT_TIME;
    private Duration visibilityTimeout = DEFAULT_VISIBILITY_TIMEOUT;
    private Duration backlogRefreshInterval = DEFAULT_BACKLOG_REFRESH_INTERVAL;
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
     * JsonMessageDecoder}. Each reader gets its own decoder.
     */
    public Builder json(Schema schema) {
      Objects.requireNonNull(schema, "schema");
      return decoders(() -> JsonMessageDecoder.of(schema));
    }

    /**
     * How message bodies become rows. Required (or {@link #json}, or {@link #decoders}). Every
     * reader uses this one decoder, so with several workers it must be thread-safe; otherwise use
     * {@link #decoders}.
     */
    public Builder decoder(MessageDecoder decoder) {
      Objects.requireNonNull(decoder, "decoder");
      this.decoders = () -> decoder;
      return this;
    }

    /**
     * How message bodies become rows, a new decoder per reader (each used by one thread), all of
     * the same schema. Called once when the source is built and once per {@link
     * SqsSource#newReader()}.
     */
    public Builder decoders(Supplier<? extends MessageDecoder> factory) {
      this.decoders = Objects.requireNonNull(factory, "decoders");
      return this;
    }

    /**
     * A client of the application's; the source does not close it. Its HTTP client must allow a
     * connection per receive and delete thread of every reader, plus one per reader for visibility
     * and one for the backlog. Default: the source builds (and closes) one from {@link #region},
     * {@link #endpointOverride} and {@link #credentialsProvider}, with connections (opened as
     * needed) for up to 16 readers.
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
     * call); shorter means a faster {@link SqsSource#close()} (and retirement of a reader), which
     * waits for a receive in flight. Default 20 s.
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
     * Messages received ahead of the pipeline, per reader. Enough to keep it busy through a
     * receive's round trip; each costs its body's size in memory. With several workers, a smaller
     * buffer spreads a short burst over more of them. Default {@value #DEFAULT_BUFFER_CAPACITY}.
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
     * Threads long-polling the queue, per reader; each receive brings at most 10 messages, so more
     * threads raise throughput when the round trip dominates. Default {@value
     * #DEFAULT_RECEIVE_THREADS}.
     */
    public Builder receiveThreads(int threads) {
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException("Invalid receiveThreads " + threads + ": must be 1..64");
      }
      this.receiveThreads = threads;
      return this;
    }

    /**
     * Threads sending deletes after commits, per reader. Default {@value #DEFAULT_DELETE_THREADS}.
     */
    public Builder deleteThreads(int threads) {
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException("Invalid deleteThreads " + threads + ": must be 1..64");
      }
      this.deleteThreads = threads;
      return this;
    }

    /**
     * Whether closing the source (or a reader) makes messages it still holds visible again at once
     * (visibility 0) instead of letting their timeout run out. Default true; off, a close behaves
     * for the queue as a crash does.
     */
    public Builder releaseOnClose(boolean release) {
      this.releaseOnClose = release;
      return this;
    }

    /**
     * How old the cached {@link SqsSource#backlog()} may get before a read of it starts a refresh
     * ({@code GetQueueAttributes}, one call). Default 5 s.
     */
    public Builder backlogRefreshInterval(Duration interval) {
      Objects.requireNonNull(interval, "backlogRefreshInterval");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException(
            "Invalid backlogRefreshInterval " + interval + ": must be positive");
      }
      this.backlogRefreshInterval = interval;
      return this;
    }

    /**
     * @throws IllegalStateException if no decoder is set
     */
    public SqsSource build() {
      if (decoders == null) {
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
                      .maxConnections(
                          (receiveThreads + deleteThreads + 1) * OWNED_CLIENT_READERS + 1)
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
