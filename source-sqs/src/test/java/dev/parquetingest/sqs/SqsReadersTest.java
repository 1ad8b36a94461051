package dev.parquetingest.sqs;

import static dev.parquetingest.sqs.SqsSourceTest.SCHEMA;
import static dev.parquetingest.sqs.SqsSourceTest.await;
import static dev.parquetingest.sqs.SqsSourceTest.bodies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.SharedSource;
import dev.parquetingest.spi.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link SqsSource} as a {@link SharedSource}: several readers of one queue, against ElasticMQ. */
@ExtendWith(SqsServerExtension.class)
class SqsReadersTest {
  static final long PATIENCE_SECONDS = 60;

  /**
   * Reads with {@code reader} on the calling thread (opening and closing it) until {@code all}
   * holds {@code total} ids, acknowledging every 7th record and the last; returns the ids it read.
   */
  static List<Long> consume(Source reader, Set<Long> all, int total) {
    List<Long> ids = new ArrayList<>();
    MutableRow row = new MutableRow(reader.open());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
    try {
      while (all.size() < total) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("only " + all.size() + " of " + total + " ids read in time");
        }
        if (reader.poll(row, 100, TimeUnit.MILLISECONDS) == Source.Poll.RECORD) {
          long id = row.getLong(0);
          ids.add(id);
          all.add(id);
          if (ids.size() % 7 == 0) {
            reader.acknowledge(reader.position());
          }
        }
      }
      if (!ids.isEmpty()) {
        reader.acknowledge(reader.position());
      }
    } finally {
      reader.close();
    }
    return ids;
  }

  @Test
  void twoReadersReadDisjointSetsCoveringTheQueueAndDeleteWhatTheyAcknowledge(SqsServer sqs)
      throws Exception {
    String queue = sqs.newQueue();
    int n = 500;
    sqs.send(queue, bodies(0, n));
    // a small buffer per reader, so that neither can take the whole queue ahead of the other
    SqsSource shared = sqs.source(queue).json(SCHEMA).bufferCapacity(20).build();
    assertThat(shared.open()).isEqualTo(SCHEMA);
    Set<Long> all = ConcurrentHashMap.newKeySet();
    ExecutorService workers = Executors.newFixedThreadPool(2);
    SqsSource.Reader a = shared.newReader();
    SqsSource.Reader b = shared.newReader();
    List<Long> fromA;
    List<Long> fromB;
    try {
      Future<List<Long>> fa = workers.submit(() -> consume(a, all, n));
      Future<List<Long>> fb = workers.submit(() -> consume(b, all, n));
      fromA = fa.get(PATIENCE_SECONDS + 30, TimeUnit.SECONDS);
      fromB = fb.get(PATIENCE_SECONDS + 30, TimeUnit.SECONDS);
    } finally {
      workers.shutdownNow();
      shared.close();
    }
    assertThat(fromA).as("reader a").isNotEmpty().doesNotHaveDuplicates();
    assertThat(fromB).as("reader b").isNotEmpty().doesNotHaveDuplicates();
    assertThat(fromA).as("a and b are disjoint").doesNotContainAnyElementsOf(fromB);
    TreeSet<Long> union = new TreeSet<>(fromA);
    union.addAll(fromB);
    assertThat(union).containsExactlyElementsOf(SqsSourceTest.LongRange.of(0, n));
    // each reader deleted exactly what it read and acknowledged; the closes waited for them
    assertThat(a.counters().messagesDeleted()).isEqualTo(fromA.size());
    assertThat(b.counters().messagesDeleted()).isEqualTo(fromB.size());
    assertThat(shared.counters().messagesDeleted()).isEqualTo(n);
    assertThat(shared.counters().messagesReleased()).isZero();
    assertThat(sqs.messagesLeft(queue)).isZero();
  }

  @Test
  void closingAReaderReleasesWhatItDidNotAcknowledgeToTheOtherAtOnce(SqsServer sqs) {
    String queue = sqs.newQueue();
    int n = 50;
    sqs.send(queue, bodies(0, n));
    // far longer than the wait below: only the release can bring the messages back in time
    Duration visibility = Duration.ofSeconds(300);
    SqsSource shared = sqs.source(queue).json(SCHEMA).visibilityTimeout(visibility).build();
    shared.open();
    SqsSource.Reader a = shared.newReader();
    SqsSource.Reader b = shared.newReader();
    Set<Long> acknowledged = new HashSet<>();
    Set<Long> fromB = new TreeSet<>();
    try {
      MutableRow row = new MutableRow(a.open());
      await(
          () ->
              a.counters().messagesReceived()
                  == n); // a holds the whole queue: 20 read, 30 buffered
      Position tenth = null;
      for (int i = 0; i < 20; i++) {
        assertThat(a.poll(row, 5, TimeUnit.SECONDS)).isEqualTo(Source.Poll.RECORD);
        if (i < 10) {
          acknowledged.add(row.getLong(0));
          tenth = a.position();
        }
      }
      a.acknowledge(tenth);

      MutableRow rowB = new MutableRow(b.open());
      // longer than a receive's wait (1 s): b finds nothing while a holds the messages
      assertThat(b.poll(rowB, 1_500, TimeUnit.MILLISECONDS)).isEqualTo(Source.Poll.IDLE);

      a.close(); // retires a: 10 read and not acknowledged, 30 buffered
      assertThat(a.counters().messagesDeleted()).isEqualTo(10);
      assertThat(a.counters().messagesReleased()).isEqualTo(n - 10);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (fromB.size() < n - 10 && System.nanoTime() < deadline) {
        if (b.poll(rowB, 100, TimeUnit.MILLISECONDS) == Source.Poll.RECORD) {
          fromB.add(rowB.getLong(0));
        }
      }
      assertThat(fromB)
          .as("redelivered to b within 30 s, visibility timeout %s", visibility)
          .hasSize(n - 10)
          .doesNotContainAnyElementsOf(acknowledged);
      b.acknowledge(b.position());
    } finally {
      a.close();
      b.close();
      shared.close();
    }
    assertThat(b.counters().messagesDeleted()).isEqualTo(n - 10);
    assertThat(shared.counters().messagesDeleted()).isEqualTo(n);
    assertThat(sqs.messagesLeft(queue)).isZero();
  }

  @Test
  void aReaderRefusesAnotherReadersPosition(SqsServer sqs) {
    String queue = sqs.newQueue();
    sqs.send(queue, bodies(0, 1));
    SqsSource shared = sqs.source(queue).json(SCHEMA).build();
    shared.open();
    SqsSource.Reader a = shared.newReader();
    SqsSource.Reader b = shared.newReader();
    try {
      MutableRow row = new MutableRow(a.open());
      assertThat(a.poll(row, 5, TimeUnit.SECONDS)).isEqualTo(Source.Poll.RECORD);
      b.open();
      Position p = a.position();
      assertThatThrownBy(() -> b.acknowledge(p))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not one of its positions");
      a.acknowledge(p);
    } finally {
      a.close();
      b.close();
      shared.close();
    }
    assertThat(shared.counters().messagesDeleted()).isEqualTo(1);
    assertThatThrownBy(shared::newReader).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void backlogFollowsTheQueueDepth(SqsServer sqs) {
    String queue = sqs.newQueue();
    SqsSource shared =
        sqs.source(queue).json(SCHEMA).backlogRefreshInterval(Duration.ofMillis(200)).build();
    try {
      assertThat(shared.backlog()).as("unknown until a refresh has answered").isEqualTo(-1);
      await(() -> shared.backlog() == 0);
      int n = 500;
      sqs.send(queue, bodies(0, n));
      await(() -> shared.backlog() == n);

      shared.open();
      SqsSource.Reader reader = shared.newReader();
      assertThat(reader.backlog()).as("a reader reports the shared figure").isEqualTo(n);
      List<Long> ids = consume(reader, ConcurrentHashMap.newKeySet(), n);
      assertThat(ids).hasSize(n);
      assertThat(reader.counters().messagesDeleted()).isEqualTo(n);
      await(() -> shared.backlog() == 0 && reader.backlog() == 0);
    } finally {
      shared.close();
    }
    assertThat(sqs.messagesLeft(queue)).isZero();
  }

  @Test
  void backlogIsCachedForItsRefreshInterval(SqsServer sqs) {
    String queue = sqs.newQueue();
    SqsSource source =
        sqs.source(queue).json(SCHEMA).backlogRefreshInterval(Duration.ofHours(1)).build();
    try {
      await(() -> source.backlog() == 0);
      sqs.send(queue, bodies(0, 10));
      // read as a busy metrics thread would, for longer than a refresh takes
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
      while (System.nanoTime() < until) {
        assertThat(source.backlog()).isZero();
      }
      assertThat(source.backlogChecks()).isEqualTo(1);
    } finally {
      source.close();
    }
  }

  @Test
  void backlogIsMinusOneWhileTheQueueCannotBeRead(SqsServer sqs) {
    String missing = sqs.endpoint() + "/000000000000/no-such-queue";
    SqsSource source =
        sqs.source(missing).json(SCHEMA).backlogRefreshInterval(Duration.ofMillis(50)).build();
    try {
      await(
          () -> {
            assertThat(source.backlog()).isEqualTo(-1);
            return source.backlogChecks() >= 3;
          });
    } finally {
      source.close();
    }
  }
}
