package dev.parquetingest;

import dev.parquetingest.internal.JvmMetrics;
import dev.parquetingest.internal.Json;
import dev.parquetingest.internal.MeteredOutputStream;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.FileStats;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.StagedOutput;
import dev.parquetingest.spi.Transformer;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a {@link ParquetIngest}: the single-threaded loop source → transformers → encoder →
 * sink, with the bad-record policy, rolling, progress and the report. Not thread-safe; used once.
 */
final class IngestRun {
  private static final Logger LOG = LoggerFactory.getLogger(IngestRun.class);
  private static final int PROGRESS_CHECK_ROWS = 4096;

  private final ParquetIngest config;
  private final IngestReport.Values report = new IngestReport.Values();
  private final JvmMetrics jvm = new JvmMetrics();
  private final Map<String, String> encoderDetails = new LinkedHashMap<>();
  private final long progressIntervalNanos = ParquetIngest.PROGRESS_INTERVAL.toNanos();

  private long startNanos;
  private long lastProgressNanos;
  private long sequence;
  private Schema schema;
  private OpenFile current;
  private StagedOutput rejects;
  private Writer rejectsWriter;

  IngestRun(ParquetIngest config) {
    this.config = config;
  }

  IngestReport run() {
    startNanos = System.nanoTime();
    lastProgressNanos = startNanos;
    jvm.start();
    report.source = config.source.name();
    report.sink = config.sink.describe();
    report.encoder = config.encoderName;
    RuntimeException failure = null;
    try {
      checkNothingToOverwrite();
      config.encoder.checkUsable(config.encoderOptions);
      Schema sourceSchema = config.source.open();
      schema = sourceSchema;
      for (Transformer t : config.transformers) {
        schema = t.outputSchema(schema);
      }
      loop(new MutableRow(sourceSchema));
    } catch (RuntimeException e) {
      failure = e;
    } catch (Error e) {
      abortQuietly(e);
      throw e;
    }
    if (failure != null) {
      abortQuietly(failure);
      report.error = failure.getMessage() == null ? failure.toString() : failure.getMessage();
    }
    closeSource(failure);
    finishRejects(failure);
    IngestReport result = finishReport(failure);
    if (failure != null) {
      throw failure;
    }
    return result;
  }

  private void loop(MutableRow row) {
    ParquetIngest c = config;
    Transformer[] transformers = c.transformers.toArray(new Transformer[0]);
    long readNanos = 0;
    long encodeNanos = 0;
    while (true) {
      long t0 = System.nanoTime();
      Row out;
      try {
        if (!c.source.next(row)) {
          readNanos += System.nanoTime() - t0;
          break;
        }
        report.rowsRead++;
        out = row;
        for (Transformer t : transformers) {
          out = t.apply(out);
          if (out == null) {
            break;
          }
        }
      } catch (BadRecordException e) {
        readNanos += System.nanoTime() - t0;
        handleBadRecord(e);
        continue;
      }
      long t1 = System.nanoTime();
      readNanos += t1 - t0;
      if (out == null) {
        report.rowsFiltered++;
        continue;
      }
      if (current == null) {
        current = openFile();
      }
      current.encoder.write(out);
      current.rows++;
      report.rowsWritten++;
      if (c.batcher.shouldRoll(current)) {
        encodeNanos += System.nanoTime() - t1;
        commitCurrent();
      } else {
        encodeNanos += System.nanoTime() - t1;
      }
      if ((report.rowsWritten & (PROGRESS_CHECK_ROWS - 1)) == 0) {
        progress(false);
      }
    }
    report.readNanos += readNanos;
    report.encodeNanos += encodeNanos;
    if (current != null) {
      commitCurrent();
    }
    progress(true);
  }

  private void checkNothingToOverwrite() {
    String[] names = {
      dataFileName(0), rejectsName(), config.writeReport ? reportName() : null
    };
    for (String name : names) {
      if (name != null && config.sink.exists(name)) {
        throw new IngestException(
            "Cannot write to "
                + config.sink.describe()
                + ": "
                + name
                + " already exists; use an empty output location or another file prefix");
      }
    }
  }

  private String dataFileName(long seq) {
    return String.format(Locale.ROOT, "%s-%05d.parquet", config.filePrefix, seq);
  }

  private String rejectsName() {
    return "_" + config.filePrefix + ".rejects.jsonl";
  }

  private String reportName() {
    return "_" + config.filePrefix + ".report.json";
  }

  private OpenFile openFile() {
    long t = System.nanoTime();
    StagedOutput staged = config.sink.create(dataFileName(sequence++));
    MeteredOutputStream stream = new MeteredOutputStream(staged.stream());
    Encoder encoder;
    try {
      encoder = config.encoder.open(schema, stream, config.encoderOptions);
    } catch (RuntimeException e) {
      staged.abort();
      throw e;
    }
    report.sinkNanos += System.nanoTime() - t;
    return new OpenFile(staged, stream, encoder, config.source.position());
  }

  private void commitCurrent() {
    OpenFile f = current;
    long t0 = System.nanoTime();
    f.encoder.finish();
    encoderDetails.putAll(f.encoder.details());
    f.encoder.close();
    long t1 = System.nanoTime();
    // Time spent in the sink's stream so far, during write() and finish(), belongs to the sink.
    long streamNanos = f.stream.nanos();
    try {
      f.stream.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + f.staged.location(), e);
    }
    f.staged.commit();
    current = null;
    long t2 = System.nanoTime();
    report.encodeNanos += (t1 - t0) - streamNanos;
    report.sinkNanos += (t2 - t1) + streamNanos;
    Position last = config.source.position();
    report.files.add(
        new IngestReport.FileReport(
            f.staged.location(),
            f.rows,
            f.stream.bytes(),
            f.first == null ? null : f.first.describe(),
            last == null ? null : last.describe()));
    report.bytesOut += f.stream.bytes();
    LOG.debug("Committed {} ({} rows, {} bytes)", f.staged.location(), f.rows, f.stream.bytes());
    if (last != null) {
      config.source.acknowledge(last);
    }
  }

  private void handleBadRecord(BadRecordException e) {
    if (config.badRecordPolicy == BadRecordPolicy.FAIL) {
      throw e;
    }
    report.rowsRejected++;
    try {
      if (rejectsWriter == null) {
        rejects = config.sink.create(rejectsName());
        rejectsWriter = new OutputStreamWriter(rejects.stream(), StandardCharsets.UTF_8);
      }
      Json j = new Json(false).beginObject();
      j.field("source", e.source());
      if (e.line() > 0) {
        j.field("line", e.line());
      }
      j.field("column", e.column());
      j.field("reason", e.problem());
      j.field("record", e.rawRecord());
      rejectsWriter.write(j.endObject().toString());
      rejectsWriter.write('\n');
    } catch (IOException ex) {
      throw new UncheckedIOException("Cannot write rejected record to " + rejectsName(), ex);
    }
  }

  /** Rejects are kept even when the run fails: they were taken from the input. */
  private void finishRejects(RuntimeException failure) {
    if (rejects == null) {
      return;
    }
    try {
      rejectsWriter.flush();
      rejects.commit();
      report.rejectsLocation = rejects.location();
    } catch (IOException | RuntimeException e) {
      rejects.abort();
      if (failure != null) {
        failure.addSuppressed(e);
      } else {
        throw new IngestException("Cannot commit " + rejects.location() + ": " + e, e);
      }
    }
  }

  private void progress(boolean done) {
    if (config.progressListener == null) {
      return;
    }
    long now = System.nanoTime();
    if (!done && now - lastProgressNanos < progressIntervalNanos) {
      return;
    }
    lastProgressNanos = now;
    config.progressListener.onProgress(
        new ProgressListener.Progress(
            config.source.bytesRead(),
            config.source.sizeHint(),
            report.rowsRead,
            report.rowsWritten,
            report.files.size(),
            Duration.ofNanos(now - startNanos),
            done));
  }

  private void abortQuietly(Throwable failure) {
    OpenFile f = current;
    current = null;
    if (f == null) {
      return;
    }
    try {
      f.encoder.close();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
    try {
      f.staged.abort();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private void closeSource(RuntimeException failure) {
    try {
      report.bytesIn = config.source.bytesRead();
      config.source.close();
    } catch (RuntimeException e) {
      if (failure != null) {
        failure.addSuppressed(e);
      } else {
        throw e;
      }
    }
  }

  private IngestReport finishReport(RuntimeException failure) {
    report.encoderDetails = encoderDetails;
    report.wallNanos = System.nanoTime() - startNanos;
    report.peakHeapBytes = jvm.peakHeapBytes();
    report.peakRssBytes = JvmMetrics.peakRssBytes();
    report.gcCount = jvm.gcCountSinceStart();
    report.gcMillis = jvm.gcMillisSinceStart();
    IngestReport result = new IngestReport(report);
    if (config.writeReport) {
      StagedOutput out = null;
      try {
        out = config.sink.create(reportName());
        out.stream().write(result.toJson().getBytes(StandardCharsets.UTF_8));
        out.stream().flush();
        out.commit();
      } catch (IOException | RuntimeException e) {
        if (out != null) {
          out.abort();
        }
        if (failure != null) {
          failure.addSuppressed(e);
        } else {
          throw new IngestException("Cannot write the run report " + reportName() + ": " + e, e);
        }
      }
    }
    return result;
  }

  /** The file being written, as the batcher sees it. */
  private static final class OpenFile implements FileStats {
    final StagedOutput staged;
    final MeteredOutputStream stream;
    final Encoder encoder;
    final Position first;
    final long openedNanos = System.nanoTime();
    long rows;

    OpenFile(StagedOutput staged, MeteredOutputStream stream, Encoder encoder, Position first) {
      this.staged = staged;
      this.stream = stream;
      this.encoder = encoder;
      this.first = first;
    }

    @Override
    public long rows() {
      return rows;
    }

    @Override
    public long bytesWritten() {
      return encoder.bytesWritten();
    }

    @Override
    public long bufferedBytes() {
      return encoder.bufferedBytes();
    }

    @Override
    public long openedNanos() {
      return openedNanos;
    }
  }
}
