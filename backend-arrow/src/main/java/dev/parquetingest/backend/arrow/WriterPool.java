package dev.parquetingest.backend.arrow;

import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The column writers of finished files, kept for the next file of the same layout (schema and page
 * settings), so that a file does not grow its dictionaries, id arrays, page buffers and page slabs
 * from empty again: the buffers of one file are reused by the next, which is what a run of many
 * files of one schema writes. Only writers of a file that finished cleanly come back ({@link
 * #give}); their dictionaries and pages are empty by then, so a reused writer writes exactly what a
 * new one would.
 *
 * <p>Bounded: at most {@link #PER_LAYOUT} idle sets per layout and {@link #MAX_LAYOUTS} layouts;
 * each set keeps at most {@link #MAX_SLAB_BYTES} of page slabs. Idle sets are held through {@link
 * SoftReference}s, so the collector clears them before it would throw an {@link OutOfMemoryError}.
 * Idle sets are not part of any open file's {@code memoryBytes()}. Thread-safe.
 */
final class WriterPool {
  /** Idle sets kept per layout: one per concurrently writing thread, up to 8. */
  static final int PER_LAYOUT =
      Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));

  /** Layouts kept; the least recently given is dropped first. */
  static final int MAX_LAYOUTS = 16;

  /** Page slabs an idle set keeps (the rest are dropped when it is given back). */
  static final long MAX_SLAB_BYTES = 64L << 20;

  /** The reusable parts of one file's writer. */
  static final class Parts {
    final ColumnChunkWriter[] columns;
    final ByteBuilder pageBuffer;
    final PageSlabs slabs;

    Parts(ColumnChunkWriter[] columns, ByteBuilder pageBuffer, PageSlabs slabs) {
      this.columns = columns;
      this.pageBuffer = pageBuffer;
      this.slabs = slabs;
    }
  }

  private static final Map<String, Deque<SoftReference<Parts>>> IDLE =
      new LinkedHashMap<>(16, 0.75f, true);

  private WriterPool() {}

  /** An idle set of {@code layout}, or null. */
  static Parts take(String layout) {
    synchronized (IDLE) {
      Deque<SoftReference<Parts>> idle = IDLE.get(layout);
      while (idle != null && !idle.isEmpty()) {
        Parts parts = idle.pollFirst().get();
        if (parts != null) {
          return parts;
        }
      }
      return null;
    }
  }

  /** Keeps {@code parts} of a cleanly finished file for the next file of {@code layout}. */
  static void give(String layout, Parts parts) {
    parts.slabs.trim(MAX_SLAB_BYTES);
    parts.pageBuffer.reset();
    for (ColumnChunkWriter c : parts.columns) {
      c.recycle();
    }
    synchronized (IDLE) {
      Deque<SoftReference<Parts>> idle = IDLE.computeIfAbsent(layout, k -> new ArrayDeque<>());
      idle.removeIf(r -> r.get() == null);
      if (idle.size() < PER_LAYOUT) {
        idle.addFirst(new SoftReference<>(parts));
      }
      if (IDLE.size() > MAX_LAYOUTS) {
        String eldest = IDLE.keySet().iterator().next();
        IDLE.remove(eldest);
      }
    }
  }

  /** Drops every idle set (for tests). */
  static void clear() {
    synchronized (IDLE) {
      IDLE.clear();
    }
  }

  /** Idle sets kept for {@code layout} whose references have not been cleared (for tests). */
  static int idle(String layout) {
    synchronized (IDLE) {
      Deque<SoftReference<Parts>> idle = IDLE.get(layout);
      if (idle == null) {
        return 0;
      }
      int n = 0;
      for (SoftReference<Parts> r : idle) {
        if (r.get() != null) {
          n++;
        }
      }
      return n;
    }
  }
}
