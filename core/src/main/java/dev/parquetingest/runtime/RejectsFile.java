package dev.parquetingest.runtime;

import dev.parquetingest.common.BadRecordException;
import dev.parquetingest.common.IngestException;
import dev.parquetingest.internal.IoMessages;
import dev.parquetingest.internal.Json;
import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.StagedOutput;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * The rejects output: one JSON line {@code {"source","line","column","reason","record"}} per
 * rejected record, staged through the sink like every file. A batch run commits it at its end, also
 * when the run fails (those records were taken from the input); a streaming run commits it at every
 * checkpoint, before the positions that cover its records are acknowledged, and the next rejected
 * record starts a new file; what is left at the end of a streaming run belongs to positions never
 * acknowledged, which the source delivers again, so it is discarded. Thread-safe (lanes reject from
 * their own threads).
 */
final class RejectsFile {
  private final Sink sink;
  private final OutputNames names;
  private final boolean committedAtCheckpoints;
  private long sequence;
  private StagedOutput out;
  private Writer writer;
  private String lastLocation;

  RejectsFile(Sink sink, OutputNames names, boolean committedAtCheckpoints) {
    this.sink = sink;
    this.names = names;
    this.committedAtCheckpoints = committedAtCheckpoints;
  }

  synchronized void reject(BadRecordException e) {
    try {
      if (writer == null) {
        out = names.create(names.rejects(sequence));
        writer = new OutputStreamWriter(out.stream(), StandardCharsets.UTF_8);
      }
      Json j = new Json(false).beginObject();
      j.field("source", e.source());
      if (e.line() > 0) {
        j.field("line", e.line());
      }
      j.field("column", e.column());
      j.field("reason", e.problem());
      j.field("record", e.rawRecord());
      writer.write(j.endObject().toString());
      writer.write('\n');
    } catch (IOException ex) {
      throw new UncheckedIOException(
          "Cannot write rejected record to " + names.rejects(sequence) + ": " + IoMessages.of(ex),
          ex);
    }
  }

  /**
   * Writes rejects lines of an earlier run as they are (a resumed run's, for the records of the
   * files it keeps).
   */
  synchronized void carryOver(java.util.List<String> lines) {
    if (lines.isEmpty()) {
      return;
    }
    try {
      if (writer == null) {
        out = names.create(names.rejects(sequence));
        writer = new OutputStreamWriter(out.stream(), StandardCharsets.UTF_8);
      }
      for (String line : lines) {
        writer.write(line);
        writer.write('\n');
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(
          "Cannot write rejected record to " + names.rejects(sequence) + ": " + IoMessages.of(ex),
          ex);
    }
  }

  /** At a checkpoint of a streaming run: commits what was rejected since the last one. */
  synchronized void checkpoint() {
    if (committedAtCheckpoints) {
      commit();
    }
  }

  /**
   * At the end of the run: a batch run commits (a failure is added to {@code failure} if there is
   * one), a streaming run discards what no checkpoint covered.
   */
  synchronized void finish(RuntimeException failure) {
    if (out == null) {
      return;
    }
    if (committedAtCheckpoints) {
      out.abort();
      out = null;
      writer = null;
      return;
    }
    Failures.suppressOrThrow(failure, this::commit);
  }

  /** Where the last committed rejects file is, or null. */
  synchronized String lastLocation() {
    return lastLocation;
  }

  private void commit() {
    if (out == null) {
      return;
    }
    StagedOutput staged = out;
    out = null;
    sequence++;
    try {
      writer.flush();
      staged.commit();
      lastLocation = staged.location();
    } catch (IOException | RuntimeException e) {
      staged.abort();
      throw new IngestException("Cannot commit " + staged.location() + ": " + IoMessages.of(e), e);
    } finally {
      writer = null;
    }
  }
}
