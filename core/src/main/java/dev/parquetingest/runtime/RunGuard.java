package dev.parquetingest.runtime;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.internal.SinkFiles;
import dev.parquetingest.spi.Source;
import dev.parquetingest.spi.SplittableSource;
import dev.parquetingest.spi.SplittableSource.Range;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard around a run's output: before anything is read, what an earlier run of the prefix left
 * (temporary files removed; data files refused unless overwriting or resuming) and the in-progress
 * marker written; for {@code resume}, the start-up (files kept, ranges left to read); at the end,
 * the old output an overwrite replaced removed and the marker deleted. One per {@link Run}.
 */
final class RunGuard {
  private static final Logger LOG = LoggerFactory.getLogger(RunGuard.class);

  /** The largest earlier rejects file read back to carry its lines over (else they are rebuilt). */
  private static final long MAX_CARRIED_REJECTS_BYTES = Integer.MAX_VALUE - 16;

  private final PipelineConfig config;
  private final String runId;

  RunGuard(PipelineConfig config, String runId) {
    this.config = config;
    this.runId = runId;
  }

  /**
   * Before anything is read, for a batch run into a sink that lists: removes the temporary files a
   * killed run of the prefix left; refuses if data files of the prefix are there (unless
   * overwriting or resuming); removes the other files of an earlier run that committed no data
   * file; writes the in-progress marker.
   *
   * @return what was there, or null if the sink cannot list (the run's own names are checked)
   */
  OutputNames.Earlier prepare(RunContext r) {
    OutputNames.Earlier e = r.names.findEarlier();
    if (e == null) {
      if (config.overwrite() || config.resume()) {
        throw new IngestException(
            "Cannot "
                + (config.overwrite() ? "overwrite" : "resume")
                + " in "
                + config.sink().describe()
                + ": this sink cannot list its files");
      }
      return null;
    }
    for (String t : e.temp) {
      LOG.info("Removing {} left by a run that was killed", t);
      config.sink().delete(t);
    }
    if (e.data.isEmpty()) {
      for (String m : e.meta) {
        config.sink().delete(m);
      }
    } else if (config.overwrite()) {
      r.names.replaceable(e.data);
      r.names.replaceable(e.meta);
      r.overwritten = e;
    } else if (config.resume()) {
      String earlierMarker = e.marker ? markerText(r) : "";
      if (earlierMarker.contains("\"overwrite\":true")) {
        throw new IngestException(
            "Cannot resume in "
                + config.sink().describe()
                + ": the run that did not finish was replacing earlier output ("
                + r.names.marker()
                + "), so old and new files are mixed; rerun with --overwrite (overwrite(true))");
      }
      r.rebuildKeptRejects = rebuildKeptRejects(e, earlierMarker, r.names.rejects(0));
      r.names.replaceable(e.meta);
      r.names.laneBase(e.maxLane + 1);
    } else {
      throw r.names.refusal(e);
    }
    r.names.replaceable(List.of(r.names.marker()));
    String marker =
        "{\"runId\":\""
            + runId
            + "\",\"overwrite\":"
            + (r.overwritten != null)
            + ",\"rejects\":"
            + (config.rejectBadRecords() || r.rebuildKeptRejects)
            + "}\n";
    SinkFiles.write(
        config.sink(), r.names.marker(), w -> w.write(marker), "the in-progress marker", true);
    r.markerWritten = true;
    return e;
  }

  /**
   * Whether a resumed run re-reads the kept files' ranges for their rejects, instead of carrying
   * them over from the earlier rejects file: a killed run's (its marker is there) was never
   * committed, or is one of a run before it; nothing is rebuilt if its marker says it failed on bad
   * records (a failing run's files hold every record of their ranges). A rejects file too large to
   * read back is rebuilt too.
   */
  private boolean rebuildKeptRejects(OutputNames.Earlier e, String marker, String rejects) {
    if (e.marker) {
      return !marker.contains("\"rejects\":false");
    }
    return e.meta.contains(rejects) && config.sink().size(rejects) > MAX_CARRIED_REJECTS_BYTES;
  }

  /** The earlier run's marker: {@code {"runId":…,"overwrite":…,"rejects":…}}. */
  private String markerText(RunContext r) {
    byte[] text = config.sink().readTail(r.names.marker(), 4096);
    return new String(text, StandardCharsets.UTF_8);
  }

  /**
   * For a sink that cannot list ({@link #prepare} returned null), once the lanes are made: refuses
   * if the first file of an unpartitioned lane is there already.
   */
  void refuseExisting(RunContext r) {
    List<String> firstNames = new ArrayList<>();
    for (Lane lane : r.lanes) {
      if (lane.files.unpartitioned()) {
        firstNames.add(lane.files.firstFileName());
      }
    }
    r.names.refuseExisting(firstNames, config.writeReport());
  }

  /** What a resumed run reads: the ranges no kept file holds, and those it re-reads for rejects. */
  record ResumeSources(List<Source> gaps, List<Source> rebuild) {}

  /**
   * The start of a resumed run: the files an earlier run committed go into the manifest (and {@code
   * r.kept}); returns one source per range of the input none of them holds and, if their rejects
   * are to be rebuilt ({@code r.rebuildKeptRejects}), up to {@code workers} sources reading the
   * kept files' ranges one after another (else the rejects are carried over from the earlier
   * rejects file).
   */
  ResumeSources resumeRanges(RunContext r, OutputNames.Earlier e) {
    Source source = config.source();
    if (!(source instanceof SplittableSource) || !((SplittableSource) source).readsRanges()) {
      throw new IngestException(
          "Cannot resume " + source.name() + ": it cannot be read from a given position");
    }
    SplittableSource s = (SplittableSource) source;
    ResumePlan plan =
        ResumePlan.of(config.sink(), e.data, config.sourceName(), s.dataStart(), r.schema);
    for (CommittedFile f : plan.kept) {
      r.manifest.add(f);
    }
    r.kept = plan.kept;
    List<Source> rebuild = List.of();
    if (r.rebuildKeptRejects) {
      rebuild = sequences(plan.inside, s.ranges(plan.inside), config.workers());
      LOG.info(
          "Re-reading the lines of the {} kept files to rebuild the rejects among them",
          plan.kept.size());
    } else {
      carryOverRejects(r, e, plan.kept);
    }
    return new ResumeSources(s.ranges(plan.gaps), rebuild);
  }

  /**
   * The sources of {@code ranges} (one each) in at most {@code count} sequences of about the same
   * number of bytes, each of consecutive ranges.
   */
  static List<Source> sequences(List<Range> ranges, List<Source> sources, int count) {
    long total = 0;
    for (Range range : ranges) {
      total += range.end() - range.start();
    }
    long per = Math.max(1, (total + count - 1) / count);
    List<Source> result = new ArrayList<>();
    List<Source> current = new ArrayList<>();
    long bytes = 0;
    for (int i = 0; i < ranges.size(); i++) {
      current.add(sources.get(i));
      bytes += ranges.get(i).end() - ranges.get(i).start();
      if (bytes >= per && result.size() < count - 1) {
        result.add(new SourceSequence(current));
        current = new ArrayList<>();
        bytes = 0;
      }
    }
    if (!current.isEmpty()) {
      result.add(new SourceSequence(current));
    }
    return result;
  }

  /**
   * The interrupted run's rejected records inside the kept files' lines go into the new rejects
   * file (the resumed run does not read them again): for a run that ended in its process (a stop, a
   * failure) and so committed its rejects file last.
   */
  private void carryOverRejects(RunContext r, OutputNames.Earlier e, List<CommittedFile> kept) {
    String name = r.names.rejects(0);
    if (!e.meta.contains(name)) {
      return;
    }
    int size = (int) config.sink().size(name);
    List<String> lines = KeptRejects.inKeptFiles(config.sink().readTail(name, size), kept);
    r.rejects.carryOver(lines);
    r.carriedRejects = lines.size();
  }

  /**
   * After the manifest is finished: for an overwrite that succeeded, removes what of the old output
   * no new file replaced; deletes the marker unless a failed overwrite mixed old and new files.
   * Returns {@code failure}, with what failed here suppressed in it (thrown if there was none).
   */
  RuntimeException finish(RunContext r, RuntimeException failure) {
    if (failure == null && r.overwritten != null) {
      // the new output is complete: what of the old one no new file replaced goes
      for (String name : r.overwritten.data) {
        removeUnlessWritten(r, name, failure);
      }
      for (String name : r.overwritten.meta) {
        if (!(config.writeReport() && name.equals(r.names.report()))) {
          removeUnlessWritten(r, name, failure);
        }
      }
    }
    if (r.markerWritten
        && (failure == null || r.overwritten == null)
        && !r.keptRejectsIncomplete()) {
      // a failed overwrite keeps it: old and new files are mixed, and resume must refuse; so
      // does a resumed run that did not finish rebuilding the kept files' rejects, so the next
      // resume rebuilds them again
      Failures.suppressOrThrow(failure, () -> config.sink().delete(r.names.marker()));
    }
    return failure;
  }

  private void removeUnlessWritten(RunContext r, String name, RuntimeException failure) {
    if (!r.names.written().contains(name) && !name.equals(r.names.marker())) {
      Failures.suppressOrThrow(failure, () -> config.sink().delete(name));
    }
  }
}
