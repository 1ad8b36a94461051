package dev.parquetingest.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.common.BadRecordException;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.Source;
import dev.parquetingest.spi.SplittableSource.Range;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reader of a resumed run's checking lanes: several sources read one after another, each opened
 * when the one before has ended and closed then; and how the kept ranges are dealt out to them.
 */
class SourceSequenceTest {
  private static final Schema SCHEMA = Schema.parse("n: int64");

  /** Yields its numbers as rows, a negative one as a bad record; records what is done to it. */
  private static final class Numbers implements Source {
    private final String name;
    private final long[] numbers;
    private final List<String> events;
    private int next;

    Numbers(String name, List<String> events, long... numbers) {
      this.name = name;
      this.events = events;
      this.numbers = numbers;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Schema open() {
      events.add("open " + name);
      return SCHEMA;
    }

    @Override
    public boolean next(MutableRow row) {
      if (next == numbers.length) {
        return false;
      }
      long n = numbers[next++];
      if (n < 0) {
        throw new BadRecordException("bad " + n, name, next, null, Long.toString(n));
      }
      row.setLong(0, n);
      return true;
    }

    @Override
    public Position position() {
      String at = name + " #" + next;
      return () -> at;
    }

    @Override
    public long bytesRead() {
      return 10L * next;
    }

    @Override
    public void close() {
      events.add("close " + name);
    }
  }

  @Test
  void readsEachSourceInTurnOpeningItWhenTheOneBeforeHasEnded() {
    List<String> events = new ArrayList<>();
    SourceSequence s =
        new SourceSequence(
            List.of(
                new Numbers("a", events, 1, 2),
                new Numbers("b", events),
                new Numbers("c", events, 3, -4, 5)));
    assertThat(s.open()).isEqualTo(SCHEMA);
    assertThat(events).containsExactly("open a");
    MutableRow row = new MutableRow(SCHEMA);
    List<Long> read = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    while (true) {
      try {
        if (!s.next(row)) {
          break;
        }
        read.add(row.getLong(0));
      } catch (BadRecordException e) {
        bad.add(s.name() + " " + s.position().describe() + " " + e.rawRecord());
      }
    }
    assertThat(read).containsExactly(1L, 2L, 3L, 5L);
    assertThat(bad)
        .as("a bad record is the current source's, and reading goes on")
        .containsExactly("c c #2 -4");
    assertThat(events).containsExactly("open a", "close a", "open b", "close b", "open c");
    assertThat(s.bytesRead()).isEqualTo(20 + 0 + 30);
    s.close();
    assertThat(events).endsWith("close a", "close b", "close c");
  }

  @Test
  void aSequenceOfNoSourcesIsRefused() {
    assertThatThrownBy(() -> new SourceSequence(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theKeptRangesAreDealtOutInConsecutiveRunsOfAboutTheSameSize() {
    List<String> events = new ArrayList<>();
    List<Range> ranges = new ArrayList<>();
    List<Source> sources = new ArrayList<>();
    long[] sizes = {100, 100, 100, 100, 400, 50, 50};
    long at = 0;
    for (int i = 0; i < sizes.length; i++) {
      ranges.add(new Range(at, at + sizes[i], 1, false));
      sources.add(new Numbers("r" + i, events, i));
      at += sizes[i] + 7;
    }
    List<Source> three = RunGuard.sequences(ranges, sources, 3);
    assertThat(three).hasSize(3);
    assertThat(firstNumbers(three))
        .containsExactly(List.of(0L, 1L, 2L), List.of(3L, 4L), List.of(5L, 6L));
    assertThat(RunGuard.sequences(ranges, sources, 1)).hasSize(1);
    assertThat(RunGuard.sequences(ranges, sources, 20)).hasSize(sizes.length);
  }

  /** Every number each sequence yields, in order. */
  private static List<List<Long>> firstNumbers(List<Source> sequences) {
    List<List<Long>> result = new ArrayList<>();
    MutableRow row = new MutableRow(SCHEMA);
    for (Source s : sequences) {
      List<Long> numbers = new ArrayList<>();
      s.open();
      while (s.next(row)) {
        numbers.add(row.getLong(0));
      }
      s.close();
      result.add(numbers);
    }
    return result;
  }
}
