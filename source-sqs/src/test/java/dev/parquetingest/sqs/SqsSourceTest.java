package dev.parquetingest.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.common.BadRecordException;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.Source;
import dev.parquetingest.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link SqsSource} on its own against ElasticMQ: receive, acknowledge, extend, release. */
@ExtendWith(SqsServerExtension.class)
class SqsSourceTest {
  static final Schema SCHEMA = Schema.parse("id: int64 not null\nuser: string");
  static final Duration PATIENCE = Duration.ofSeconds(30);

  static List<String> bodies(int from, int to) {
    return IntStream.range(from, to)
        .mapToObj(i -> "{\"id\":" + i + ",\"user\":\"u" + i % 7 + "\"}")
        .toList();
  }

  @Test
  void deletesExactlyTheAcknowledgedMessagesAndReleasesTheRestOnClose(SqsServer sqs) {
    String queue = sqs.newQueue();
    sqs.send(queue, bodies(0, 25));
    SqsSource source = sqs.source(queue).json(SCHEMA).build();
    MutableRow row = new MutableRow(source.open());
    SqsSource.Reader reader = source.newReader();
    reader.open();
    TreeSet<Long> ids = new TreeSet<>();
    Position tenth = null;
    try {
      while (ids.size() < 25) {
        Source.Poll p = reader.poll(row, 5, TimeUnit.SECONDS);
        assertThat(p).isEqualTo(Source.Poll.RECORD);
        ids.add(row.getLong(0));
        if (ids.size() == 10) {
          tenth = reader.position();
        }
      }
      assertThat(reader.poll(row, 200, TimeUnit.MILLISECONDS)).isEqualTo(Source.Poll.IDLE);
      reader.acknowledge(tenth);
    } finally {
      reader.close();
      source.close();
    }
    assertThat(ids).containsExactlyElementsOf(LongRange.of(0, 25));
    assertThat(source.counters().messagesDeleted()).isEqualTo(10);
    assertThat(source.counters().messagesReleased()).isEqualTo(15);
    // released at close: visible again at once, and exactly the ones not acknowledged
    assertThat(sqs.drain(queue)).hasSize(15);
    assertThat(sqs.messagesLeft(queue)).isZero();
  }

  @Test
  void keepsAHeldMessageInvisibleBeyondItsTimeoutAndLetsItGoAfterClose(SqsServer sqs)
      throws InterruptedException {
    String queue = sqs.newQueue();
    sqs.send(queue, bodies(0, 1));
    SqsSource source =
        sqs.source(queue)
            .json(SCHEMA)
            .visibilityTimeout(Duration.ofSeconds(2))
            .releaseOnClose(false)
            .build();
    MutableRow row = new MutableRow(source.open());
    SqsSource.Reader reader = source.newReader();
    reader.open();
    try {
      assertThat(reader.poll(row, 5, TimeUnit.SECONDS)).isEqualTo(Source.Poll.RECORD);
      // held (its file still open) for more than twice the visibility timeout
      Thread.sleep(5_000);
      assertThat(sqs.drain(queue)).isEmpty();
      assertThat(source.counters().visibilityExtensions()).isGreaterThanOrEqualTo(2);
    } finally {
      reader.close();
      source.close();
    }
    // as after a crash: neither deleted nor released, so back after its timeout
    await(() -> !sqs.drain(queue).isEmpty());
  }

  @Test
  void anUndecodableMessageIsABadRecordWithItsRawBody(SqsServer sqs) {
    String queue = sqs.newQueue();
    sqs.send(queue, List.of("{\"id\":\"seven\"}"));
    SqsSource source = sqs.source(queue).json(SCHEMA).build();
    MutableRow row = new MutableRow(source.open());
    SqsSource.Reader reader = source.newReader();
    reader.open();
    List<BadRecordException> bad = new ArrayList<>();
    try {
      assertThatThrownBy(() -> reader.poll(row, 5, TimeUnit.SECONDS))
          .isInstanceOfSatisfying(BadRecordException.class, bad::add);
      reader.acknowledge(reader.position());
    } finally {
      reader.close();
      source.close();
    }
    BadRecordException e = bad.get(0);
    assertThat(e.rawRecord()).isEqualTo("{\"id\":\"seven\"}");
    assertThat(e.column()).isEqualTo("id");
    assertThat(e.problem()).isEqualTo("Cannot read column 'id' as int64: \"seven\"");
    assertThat(e.source()).startsWith(source.name() + " message ");
    assertThat(source.counters().messagesDeleted()).isEqualTo(1);
  }

  @Test
  void builderRejectsBadValuesNamingTheOption() {
    assertThatThrownBy(() -> SqsSource.builder("queue"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid queueUrl 'queue'");
    SqsSource.Builder b = SqsSource.builder("http://127.0.0.1:1/000000000000/q");
    assertThatThrownBy(() -> b.waitTime(Duration.ofSeconds(21)))
        .hasMessageStartingWith("Invalid waitTime PT21S");
    assertThatThrownBy(() -> b.visibilityTimeout(Duration.ofMillis(1500)))
        .hasMessageStartingWith("Invalid visibilityTimeout PT1.5S");
    assertThatThrownBy(() -> b.bufferCapacity(0))
        .hasMessageStartingWith("Invalid bufferCapacity 0");
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no decoder set");
  }

  static void await(BooleanSupplier condition) {
    Await.until(PATIENCE, condition);
  }

  /** Boxed longs from..to-1, for AssertJ. */
  static final class LongRange {
    private LongRange() {}

    static List<Long> of(long from, long to) {
      List<Long> l = new ArrayList<>();
      for (long i = from; i < to; i++) {
        l.add(i);
      }
      return l;
    }
  }
}
