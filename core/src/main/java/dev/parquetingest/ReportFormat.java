package dev.parquetingest;

import dev.parquetingest.IngestReport.FileReport;
import dev.parquetingest.IngestReport.WorkerReport;
import dev.parquetingest.internal.Json;
import dev.parquetingest.schema.Field;
import dev.parquetingest.schema.Schema;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Map;
import java.util.TreeMap;

/**
 * The written forms of an {@link IngestReport}: its JSON ({@code _<prefix>.report.json}, see
 * docs/delivery.md), streamed a thousand files at a time, and the one-line text of a worker.
 */
final class ReportFormat {
  private ReportFormat() {}

  /** {@link IngestReport#toJson()}. */
  static String toJson(IngestReport r) {
    StringWriter w = new StringWriter();
    try {
      writeJson(r, w);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /** The JSON of {@code r} written to {@code out} a thousand files at a time, then a newline. */
  static void writeJson(IngestReport r, Writer out) throws IOException {
    Json j = new Json(true).beginObject();
    j.field("status", r.succeeded() ? "succeeded" : r.interrupted() ? "interrupted" : "failed");
    j.field("error", r.error());
    j.field("version", r.version()).field("runId", r.runId());
    j.field("startTime", r.startTime().toString()).field("endTime", r.endTime().toString());
    j.field("source", r.source()).field("sink", r.sink()).field("encoder", r.encoder());
    j.field("workers", r.workers()).field("scaleEvents", r.scaleEvents());
    j.field("options", r.options());
    j.beginArray("schema");
    Schema schema = r.schema();
    if (schema != null) {
      for (Field f : schema.fields()) {
        j.beginElement()
            .field("name", f.name())
            .field("type", f.type().toString())
            .field("nullable", f.nullable())
            .endObject();
      }
    }
    j.endArray();
    j.field("encoderDetails", r.encoderDetails());
    j.beginObject("sinkCounters");
    for (Map.Entry<String, Long> e : new TreeMap<>(r.sinkCounters()).entrySet()) {
      j.field(e.getKey(), e.getValue().longValue());
    }
    j.endObject();
    j.field("rowsRead", r.rowsRead()).field("rowsWritten", r.rowsWritten());
    j.field("rowsRejected", r.rowsRejected()).field("rowsFiltered", r.rowsFiltered());
    j.field("rowsAborted", r.rowsAborted());
    if (!r.sourceBacklogByPartition().isEmpty()) {
      j.beginObject("sourceBacklogByPartition");
      for (Map.Entry<String, Long> e : r.sourceBacklogByPartition().entrySet()) {
        j.field(e.getKey(), e.getValue().longValue());
      }
      j.endObject();
    }
    j.field("memoryBudgetBytes", r.memoryBudgetBytes());
    j.field("peakBufferedBytes", r.peakBufferedBytes());
    j.field("peakOpenFiles", r.peakOpenFiles()).field("memoryRolls", r.memoryRolls());
    j.field("rejects", r.rejectsLocation());
    j.field("manifest", r.manifestLocation());
    j.field("bytesIn", r.bytesIn()).field("bytesOut", r.bytesOut());
    j.beginObject("stageMillisSummedOverWorkers");
    j.field("read", r.readTime().toMillis());
    j.field("encode", r.encodeTime().toMillis());
    j.field("sink", r.sinkTime().toMillis());
    j.endObject();
    j.beginArray("stageMillisPerWorker");
    for (WorkerReport w : r.perWorker()) {
      j.beginElement()
          .field("worker", w.worker())
          .field("rowsWritten", w.rowsWritten())
          .field("read", w.readTime().toMillis())
          .field("encode", w.encodeTime().toMillis())
          .field("sink", w.sinkTime().toMillis())
          .endObject();
    }
    j.endArray();
    j.field("wallMillis", r.wallTime().toMillis());
    j.field("rowsPerSecond", Math.round(r.rowsPerSecond()));
    j.field("peakHeapBytes", r.peakHeapBytes()).field("peakRssBytes", r.peakRssBytes());
    j.field("gcCount", r.gcCount()).field("gcMillis", r.gcTime().toMillis());
    j.beginArray("files");
    int n = 0;
    for (FileReport f : r.files()) {
      if (++n % 1000 == 0) {
        j.drainTo(out);
      }
      j.beginElement()
          .field("location", f.location())
          .field("rows", f.rows())
          .field("bytes", f.bytes())
          .field("firstPosition", f.firstPosition())
          .field("lastPosition", f.lastPosition())
          .endObject();
    }
    j.endArray();
    j.endObject();
    j.drainTo(out);
    out.write('\n');
  }

  /** {@link WorkerReport#toString()}: {@code worker 0: 12 rows, read PT1S, encode …, sink …}. */
  static String describe(WorkerReport w) {
    return "worker "
        + w.worker()
        + ": "
        + w.rowsWritten()
        + " rows, read "
        + w.readTime()
        + ", encode "
        + w.encodeTime()
        + ", sink "
        + w.sinkTime();
  }
}
