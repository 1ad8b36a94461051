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
 * <p>Bounded: at most {@link #PER_LAYOUT} idle sets per layout, {@link #MAX_LAYOUTS} layouts, and
 * {@link #MAX_IDLE_BYTES} of heap for all idle sets together (a set that does not fit is dropped);
 * each set keeps at most {@link #MAX_SLAB_BYTES} of page slabs. A set in use is part of its file's
 * {@code memoryBytes()}. Idle sets are held through {@link SoftReference}s, so the collector clears
 * them before it would throw an {@link OutOfMemoryError}. Idle sets are not part of any open file's
 * {@code memoryBytes()}. Thread-safe.
 */
final class WriterPool {
  /** Idle sets kept per layout: one per concurrently writing thread, up to 8. */
  static final int PER_LAYOUT =
      Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));

  /** Layouts kept; the least recently given is dropped first. */
  static final int MAX_LAYOUTS = 16;

  /** Page slabs an idle set keeps (the rest are dropped when it is given back). */
  static final long MAX_SLAB_BYTES = 64L << 20;

  /** Heap the idle sets may hold together: an eighth of the maximum heap, at most 256 MiB. */
  static final long MAX_IDLE_BYTES = Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8);

  /** The reusable parts of one file's writer. */
  static final class Parts {
    final ColumnChunkWriter[] columns;
    final ByteBuilder pageBuffer;
    final PageSlabs slabs;

    /** Heap bytes held, measured when given back. */
    long bytes;

    Parts(ColumnChunkWriter[] columns, ByteBuilder pageBuffer, PageSlabs slabs) {
      this.columns = columns;
      this.pageBuffer = pageBuffer;
      this.slabs = slabs;
    }

    private long measure() {
      long total = slabs.capacityBytes() + pageBuffer.capacity();
      for (ColumnChunkWriter c : columns) {
        total += c.memoryBytes();
      }
      return total;
    }
  }

  private static long idleBytes;

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
          idleBytes -= parts.bytes;
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
    parts.bytes = parts.measure();
    synchronized (IDLE) {
      recount();
      Deque<SoftReference<Parts>> idle = IDLE.computeIfAbsent(layout, k -> new ArrayDeque<>());
      if (idle.size() < PER_LAYOUT && idleBytes + parts.bytes <= MAX_IDLE_BYTES) {
        idle.addFirst(new SoftReference<>(parts));
        idleBytes += parts.bytes;
      }
      if (IDLE.size() > MAX_LAYOUTS) {
        String eldest = IDLE.keySet().iterator().next();
        IDLE.remove(eldest);
        recount();
      }
    }
  }

  /** Drops the references the collector has cleared and counts the bytes of the others. */
  private static void recount() {
    long total = 0;
    for (Deque<SoftReference<Parts>> idle : IDLE.values()) {
      idle.removeIf(r -> r.get() == null);
      for (SoftReference<Parts> r : idle) {
        Parts p = r.get();
        total += p == null ? 0 : p.bytes;
      }
    }
    idleBytes = total;
  }

  /** Drops every idle set (for tests). */
  static void clear() {
    synchronized (IDLE) {
      IDLE.clear();
      idleBytes = 0;
    }
  }

  /** Heap bytes of the idle sets (for tests and reports). */
  static long idleBytes() {
    synchronized (IDLE) {
      recount();
      return idleBytes;
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
