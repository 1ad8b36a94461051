package dev.parquetingest.runtime;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.internal.SinkFiles;
import dev.parquetingest.spi.Source;
import dev.parquetingest.spi.SplittableSource;
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
      if (e.marker && markerSaysOverwrite(r)) {
        throw new IngestException(
            "Cannot resume in "
                + config.sink().describe()
                + ": the run that did not finish was replacing earlier output ("
                + r.names.marker()
                + "), so old and new files are mixed; rerun with --overwrite (overwrite(true))");
      }
      r.names.replaceable(e.meta);
      r.names.laneBase(e.maxLane + 1);
    } else {
      throw r.names.refusal(e);
    }
    r.names.replaceable(List.of(r.names.marker()));
    String marker = "{\"runId\":\"" + runId + "\",\"overwrite\":" + (r.overwritten != null) + "}\n";
    SinkFiles.write(
        config.sink(), r.names.marker(), w -> w.write(marker), "the in-progress marker", true);
    r.markerWritten = true;
    return e;
  }

  private boolean markerSaysOverwrite(RunContext r) {
    byte[] text = config.sink().readTail(r.names.marker(), 4096);
    return new String(text, StandardCharsets.UTF_8).contains("\"overwrite\":true");
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

  /**
   * The start of a resumed run: the files an earlier run committed go into the manifest (and {@code
   * r.kept}); returns one source per range of the input none of them holds.
   */
  List<Source> resumeRanges(RunContext r, OutputNames.Earlier e) {
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
    carryOverRejects(r, e, plan.kept);
    return s.ranges(plan.gaps);
  }

  /**
   * The interrupted run's rejected records inside the kept files' lines go into the new rejects
   * file (the resumed run does not read them again); a killed run committed no rejects file.
   */
  private void carryOverRejects(RunContext r, OutputNames.Earlier e, List<CommittedFile> kept) {
    String name = r.names.rejects(0);
    if (!e.meta.contains(name)) {
      if (e.marker) {
        LOG.warn(
            "The run that did not finish (killed?) committed no rejects file {}: records it"
                + " rejected among the lines of the {} kept files are not in the new one",
            name,
            kept.size());
      }
      return;
    }
    long size = config.sink().size(name);
    if (size > Integer.MAX_VALUE - 16) {
      LOG.warn("Not carrying over {}: {} bytes is too large to read back", name, size);
      return;
    }
    List<String> lines = KeptRejects.inKeptFiles(config.sink().readTail(name, (int) size), kept);
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
    if (r.markerWritten && (failure == null || r.overwritten == null)) {
      // a failed overwrite keeps it: old and new files are mixed, and resume must refuse
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
