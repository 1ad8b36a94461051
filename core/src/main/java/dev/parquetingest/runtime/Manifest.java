package dev.parquetingest.runtime;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.internal.IoMessages;
import dev.parquetingest.internal.Json;
import dev.parquetingest.internal.SinkFiles;
import dev.parquetingest.spi.ColumnStats;
import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.StagedOutput;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifest of a run: one JSON line per committed data file, with its location (relative to the
 * output root for a local directory, a full URI for S3: {@link CommittedFile#manifestLocation}),
 * partition, rows, bytes, the source positions it holds and per-column statistics, so a reader (a
 * catalog loader, a compaction job, a reconciliation) needs no footer read and no listing. Written
 * through the sink like any file, so it is atomic and never overwrites. A batch run stages one file
 * and writes each line as its data file is committed, so that it holds nothing per file in memory
 * (a run over tens of thousands of partitions commits hundreds of thousands of files), and commits
 * it at its end, also when the run fails (it lists what was committed); a streaming run writes a
 * segment at each acknowledgement, before the positions are acknowledged. Thread-safe.
 */
final class Manifest {
  /** Longest string bound kept; longer ones are cut (the max rounded up) so lines stay small. */
  static final int MAX_STRING_BOUND = 64;

  private final Sink sink;
  private final OutputNames names;
  private final boolean segmented;
  private final List<CommittedFile> pending = new ArrayList<>();
  private long sequence;
  private String lastLocation;

  /** A batch run's manifest, staged at the first committed file. */
  private StagedOutput staged;

  private Writer writer;

  /**
   * @param segmented true for a streaming run: a segment at every checkpoint
   */
  Manifest(Sink sink, OutputNames names, boolean segmented) {
    this.sink = sink;
    this.names = names;
    this.segmented = segmented;
  }

  /** At a checkpoint of a streaming run: a segment of the files committed since the last one. */
  synchronized void checkpoint() {
    if (segmented && !pending.isEmpty()) {
      write(names.manifest(sequence));
      sequence++;
    }
  }

  /**
   * At the end of a run, also a failed one: the manifest (or last segment) of what was committed.
   */
  synchronized void finish(RuntimeException failure) {
    Failures.suppressOrThrow(
        failure,
        () -> {
          if (segmented) {
            checkpoint();
          } else {
            commitStaged();
          }
        });
  }

  /**
   * A data file was committed: a batch run writes its line now, a streaming run keeps it for the
   * next segment.
   *
   * @throws IngestException if the batch manifest cannot be written
   */
  synchronized void add(CommittedFile file) {
    if (segmented) {
      pending.add(file);
      return;
    }
    String name = names.manifest(0);
    try {
      if (staged == null) {
        staged = names.create(name);
        writer = new OutputStreamWriter(staged.stream(), StandardCharsets.UTF_8);
      }
      writer.write(line(file));
      writer.write('\n');
    } catch (IOException e) {
      throw new IngestException("Cannot write the manifest " + name + ": " + IoMessages.of(e), e);
    }
  }

  private void commitStaged() {
    if (staged == null) {
      return;
    }
    StagedOutput out = staged;
    staged = null;
    try {
      writer.flush();
      CrashPoints.pause(CrashPoints.BEFORE_MANIFEST_COMMIT);
      out.commit();
      lastLocation = out.location();
    } catch (IOException | RuntimeException e) {
      out.abort();
      throw new IngestException(
          "Cannot write the manifest " + out.location() + ": " + IoMessages.of(e), e);
    } finally {
      writer = null;
    }
  }

  /** The location of the last manifest written, or null. */
  synchronized String lastLocation() {
    return lastLocation;
  }

  /**
   * Writes the files added since the last call to a new manifest object {@code name}; nothing if
   * none were added.
   *
   * @throws dev.parquetingest.common.IngestException if it cannot be committed; the files stay
   *     pending
   */
  private void write(String name) {
    if (pending.isEmpty()) {
      return;
    }
    StringBuilder text = new StringBuilder();
    for (CommittedFile f : pending) {
      text.append(line(f)).append('\n');
    }
    lastLocation =
        SinkFiles.write(
            sink, name, text.toString().getBytes(StandardCharsets.UTF_8), "the manifest");
    pending.clear();
  }

  /** One file's JSON line. */
  static String line(CommittedFile f) {
    Json j = new Json(false).beginObject();
    j.field("location", f.manifestLocation());
    j.field("partition", f.partition());
    j.field("rows", f.rows()).field("bytes", f.bytes());
    j.field("firstPosition", f.firstPosition()).field("lastPosition", f.lastPosition());
    j.beginObject("columns");
    for (ColumnStats c : f.columns()) {
      j.beginObject(c.column());
      j.field("nulls", c.nullCount());
      if (c.hasMinMax()) {
        j.field("min", lowerBound(c.minString()));
        String max = upperBound(c.maxString());
        if (max != null) {
          j.field("max", max);
        }
      }
      j.endObject();
    }
    j.endObject();
    return j.endObject().toString();
  }

  /**
   * The statistics of a committed file as the run keeps them until its end: string bounds longer
   * than {@value #MAX_STRING_BOUND} code points cut as the manifest writes them, so that tens of
   * thousands of files (high-cardinality partitions) with long text columns do not hold their whole
   * longest and shortest values in memory. A bound that cannot be cut stays whole.
   */
  static List<ColumnStats> compact(List<ColumnStats> columns) {
    List<ColumnStats> out = null;
    for (int i = 0; i < columns.size(); i++) {
      ColumnStats c = columns.get(i);
      if (c.min() instanceof String && c.max() instanceof String) {
        String min = (String) c.min();
        String max = (String) c.max();
        String lower = lowerBound(min);
        String upper = upperBound(max);
        if (upper == null) {
          upper = max;
        }
        if (lower != min || upper != max) {
          if (out == null) {
            out = new ArrayList<>(columns);
          }
          out.set(i, new ColumnStats(c.column(), c.nullCount(), c.valueCount(), lower, upper));
        }
      }
    }
    return out == null ? columns : out;
  }

  /** A prefix is still a lower bound. */
  static String lowerBound(String s) {
    if (s.codePointCount(0, s.length()) <= MAX_STRING_BOUND) {
      return s;
    }
    return s.substring(0, s.offsetByCodePoints(0, MAX_STRING_BOUND));
  }

  /**
   * A cut string is an upper bound once its last code point is incremented; null if none can be
   * (every kept code point is the largest).
   */
  static String upperBound(String s) {
    if (s.codePointCount(0, s.length()) <= MAX_STRING_BOUND) {
      return s;
    }
    int[] cps = s.codePoints().limit(MAX_STRING_BOUND).toArray();
    for (int i = cps.length - 1; i >= 0; i--) {
      int next = cps[i] + 1;
      if (next >= Character.MIN_SURROGATE && next <= Character.MAX_SURROGATE) {
        next = Character.MAX_SURROGATE + 1;
      }
      if (next <= Character.MAX_CODE_POINT) {
        return new String(cps, 0, i) + new String(Character.toChars(next));
      }
    }
    return null;
  }
}
