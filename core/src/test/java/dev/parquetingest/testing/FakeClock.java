package dev.parquetingest.testing;

import dev.parquetingest.runtime.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A runtime clock that moves only when a test says so. Thread-safe. */
public final class FakeClock implements Clock {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  /** Moves the clock forward. */
  public void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public long currentTimeMillis() {
    return nanos.get() / 1_000_000;
  }
}
