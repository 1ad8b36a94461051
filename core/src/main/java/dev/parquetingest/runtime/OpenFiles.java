package dev.parquetingest.runtime;

import dev.parquetingest.spi.Position;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The open files of one lane by slot (the partition path, "" without partitioning, and for a {@link
 * dev.parquetingest.spi.KeyedSource} the source's key), least recently written first; the next
 * sequence number per partition path; and the file the last row went to. Opening a file takes a
 * file slot of the run's {@link MemoryBudget}, first giving up the least recently written open
 * files while none is free. Which file a row goes to, and when a file rolls, is {@link
 * PartitionFanOut}'s. Used by its lane's thread only.
 */
final class OpenFiles {
  private final RunContext run;

  /**
   * Least recently written first: a lookup when the lane switches to a file moves it to the end.
   */
  private final Map<String, RollingFile> open = new LinkedHashMap<>(16, 0.75f, true);

  /** Next sequence number per partition path. */
  private final Map<String, long[]> sequences = new HashMap<>();

  /** The file the last row went to (a fast path before the map), or null. */
  RollingFile current;

  OpenFiles(RunContext run) {
    this.run = run;
  }

  boolean isEmpty() {
    return open.isEmpty();
  }

  /** The open file of {@code slot} (now the most recently written), or null. */
  RollingFile get(String slot) {
    return open.get(slot);
  }

  /** The open files, least recently written first; a live view, not to be changed while read. */
  Collection<RollingFile> all() {
    return open.values();
  }

  /** A copy of the open files, least recently written first, for a loop that commits some. */
  List<RollingFile> snapshot() {
    return new ArrayList<>(open.values());
  }

  /** The sequence number of the next file of {@code partition}, then counts it as taken. */
  long nextSequence(String partition) {
    return sequences.computeIfAbsent(partition, k -> new long[1])[0]++;
  }

  /**
   * Opens a file in {@code slot}. While the run is at {@code maxOpenFiles}, hands this lane's least
   * recently written file to {@code evict}, which must commit it (and so {@link #remove} it); with
   * nothing of its own left to give up, waits for a slot.
   */
  RollingFile open(
      String slot,
      String partition,
      String key,
      String name,
      Position first,
      LaneStats stats,
      Consumer<RollingFile> evict) {
    boolean reserved = run.budget.tryReserveFile();
    while (!reserved && !open.isEmpty()) {
      run.warnOnce(
          "open-files",
          "{} files open: finishing the least recently written ones first (maxOpenFiles)",
          run.budget.maxOpenFiles());
      evict.accept(open.values().iterator().next());
      reserved = run.budget.tryReserveFile();
    }
    if (!reserved) {
      run.budget.reserveFile();
    }
    RollingFile f;
    try {
      f = run.files.open(slot, partition, key, name, first, stats);
    } catch (RuntimeException e) {
      run.budget.releaseFile(0);
      throw e;
    }
    open.put(slot, f);
    return f;
  }

  /** Forgets {@code f}, committed or aborted. */
  void remove(RollingFile f) {
    open.remove(f.slot);
    if (current == f) {
      current = null;
    }
  }

  /** Forgets every open file; returns them, least recently written first. */
  List<RollingFile> removeAll() {
    List<RollingFile> all = snapshot();
    open.clear();
    current = null;
    return all;
  }

  /** Whether a file of the source key {@code key} is open. */
  boolean holdsKey(String key) {
    for (RollingFile f : open.values()) {
      if (key.equals(f.key)) {
        return true;
      }
    }
    return false;
  }

  /** Measures every open file's buffered bytes. */
  void measureAll() {
    for (RollingFile f : open.values()) {
      f.measure();
    }
  }

  /** The open file with the most measured bytes, other than those {@code passedOver}; or null. */
  RollingFile largest(Set<RollingFile> passedOver) {
    RollingFile largest = null;
    for (RollingFile f : open.values()) {
      if ((passedOver == null || !passedOver.contains(f))
          && (largest == null || f.measuredBytes > largest.measuredBytes)) {
        largest = f;
      }
    }
    return largest;
  }
}
