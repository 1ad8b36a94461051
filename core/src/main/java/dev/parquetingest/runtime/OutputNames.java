package dev.parquetingest.runtime;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.StagedOutput;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every name a run writes under, and the overwrite guard: the sink never overwrites, so a run
 * checks before it reads anything what the output location already holds of its prefix ({@link
 * #findEarlier}: a sink that can list finds the data files of any earlier batch run, whatever its
 * worker count or partitions; one that cannot is asked for the run's own first names, {@link
 * #refuseExisting}). Names that a run is allowed to replace ({@code overwrite}, {@code resume}) are
 * {@link #replaceable}; {@link #create} stages a file replacing such a name. Thread-safe.
 */
final class OutputNames {
  private final Sink sink;
  private final String prefix;
  private final RunMode mode;
  private final Pattern data;
  private final Pattern temp;
  private final Set<String> replaceable = ConcurrentHashMap.newKeySet();
  private final Set<String> written = ConcurrentHashMap.newKeySet();

  /** Added to every lane number in data file names, so a resumed run's names are new. */
  private volatile int laneBase = -1;

  OutputNames(Sink sink, String prefix, RunMode mode) {
    this.sink = sink;
    this.prefix = prefix;
    this.mode = mode;
    String p = Pattern.quote(prefix);
    this.data = Pattern.compile(p + "-(?:(\\d{3,})-)?\\d{5,}\\.parquet");
    this.temp =
        Pattern.compile(
            "\\.(?:"
                + p
                + "-(?:\\d{3,}-)?\\d{5,}\\.parquet|_"
                + p
                + "\\.(?:rejects\\.jsonl|manifest\\.jsonl|report\\.json|in-progress\\.json))\\..*\\.inprogress");
  }

  /** {@code <prefix>[-<run id>][-<lane>]-<seq>.parquet} inside the partition's directory. */
  String dataFile(String partition, int lane, int lanes, long seq) {
    int base = laneBase;
    return base < 0
        ? mode.fileName(prefix, partition, lane, lanes, seq)
        : mode.fileName(prefix, partition, base + lane, 2, seq);
  }

  String rejects(long sequence) {
    return mode.rejectsName(prefix, sequence);
  }

  String manifest(long sequence) {
    return mode.manifestName(prefix, sequence);
  }

  String report() {
    return mode.reportName(prefix);
  }

  /** {@code _<prefix>.in-progress.json}: a batch run that has started and not ended holds it. */
  String marker() {
    return "_" + prefix + ".in-progress.json";
  }

  /** Stages {@code name}, replacing an earlier run's file of that name if it may. */
  StagedOutput create(String name) {
    written.add(name);
    return sink.create(name, replaceable.contains(name));
  }

  boolean replaces(String name) {
    return replaceable.contains(name);
  }

  /** Lets this run replace these names of an earlier run. */
  void replaceable(List<String> names) {
    replaceable.addAll(names);
  }

  /** The names this run has staged so far. */
  Set<String> written() {
    return Collections.unmodifiableSet(written);
  }

  /** From now on, data file names carry lane numbers from {@code base} up, in the lane form. */
  void laneBase(int base) {
    laneBase = base;
  }

  /** What an earlier batch run of this prefix left in the output location. */
  static final class Earlier {
    /** Committed data files, sorted. */
    final List<String> data = new ArrayList<>();

    /** Rejects, manifest, report and marker. */
    final List<String> meta = new ArrayList<>();

    /** Hidden files of files never committed (a killed run's). */
    final List<String> temp = new ArrayList<>();

    boolean marker;

    /** The highest lane number in the data files' names, -1 if none has one. */
    int maxLane = -1;

    boolean isEmpty() {
      return data.isEmpty() && meta.isEmpty() && temp.isEmpty();
    }
  }

  /**
   * What the sink holds of this prefix's batch output, found by listing; null if the sink cannot
   * list or the run is a streaming one (its names carry its run id).
   */
  Earlier findEarlier() {
    if (!mode.checksManifestName() || !sink.listable()) {
      return null;
    }
    Set<String> metaNames = Set.of(rejects(0), manifest(0), report(), marker());
    Earlier e = new Earlier();
    TreeSet<String> data = new TreeSet<>();
    for (String name :
        sink.list(
            n ->
                n.startsWith(prefix)
                    || n.startsWith("_" + prefix)
                    || n.startsWith("." + prefix)
                    || n.startsWith("._" + prefix))) {
      String own = name.substring(name.lastIndexOf('/') + 1);
      Matcher m = this.data.matcher(own);
      if (m.matches()) {
        data.add(name);
        if (m.group(1) != null) {
          e.maxLane = Math.max(e.maxLane, Integer.parseInt(m.group(1)));
        }
      } else if (metaNames.contains(name)) {
        e.meta.add(name);
        e.marker |= name.equals(marker());
      } else if (temp.matcher(own).matches()) {
        e.temp.add(name);
      }
    }
    e.data.addAll(data);
    return e;
  }

  /**
   * Refuses a run into a location holding data files of this prefix, naming what it found and the
   * two ways on.
   */
  IngestException refusal(Earlier e) {
    String what =
        e.marker
            ? "from a run that did not finish (" + marker() + " is there)"
            : "from an earlier run";
    return new IngestException(
        "Cannot write to "
            + sink.describe()
            + ": it already holds "
            + e.data.size()
            + (e.data.size() == 1 ? " data file" : " data files")
            + " of prefix '"
            + prefix
            + "' "
            + what
            + ", e.g. "
            + e.data.get(0)
            + "; rerun with --overwrite (overwrite(true)) to replace that output, or with"
            + " --resume (resume(true)) to keep its files and read only the records they do not"
            + " hold; or use another output location or file prefix");
  }

  /**
   * Before anything is read, for a sink that cannot list: the first data file of each unpartitioned
   * lane, the rejects file, the batch manifest and the report (if written) must not exist.
   */
  void refuseExisting(List<String> firstDataFiles, boolean writeReport) {
    List<String> names = new ArrayList<>(firstDataFiles);
    names.add(rejects(0));
    if (mode.checksManifestName()) {
      names.add(manifest(0));
    }
    if (writeReport) {
      names.add(report());
    }
    for (String name : names) {
      refuseIfExists(name);
    }
  }

  /**
   * Before the first file of a partition (or of a worker of a shared source) in a batch run; a
   * streaming run's names carry its run id and cannot exist.
   */
  void refuseFirstOfPartition(String name, long seq, boolean partitionedOrShared) {
    if (mode.checksEachFirstName() && partitionedOrShared && seq == 0 && !replaces(name)) {
      refuseIfExists(name);
    }
  }

  private void refuseIfExists(String name) {
    if (sink.exists(name)) {
      throw new IngestException(
          "Cannot write to "
              + sink.describe()
              + ": "
              + name
              + " already exists; use an empty output location or another file prefix");
    }
  }
}
