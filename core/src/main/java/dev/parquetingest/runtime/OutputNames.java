package dev.parquetingest.runtime;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.spi.Sink;
import java.util.ArrayList;
import java.util.List;

/**
 * Every name a run writes under, and the overwrite guard: the sink never overwrites, so a run
 * checks before it reads anything that its first file, its rejects file, its manifest and its
 * report do not exist yet (a rerun into the same directory fails in milliseconds, not after an
 * hour), and checks each partition's first name before writing it. Immutable; thread-safe.
 */
final class OutputNames {
  private final Sink sink;
  private final String prefix;
  private final RunMode mode;

  OutputNames(Sink sink, String prefix, RunMode mode) {
    this.sink = sink;
    this.prefix = prefix;
    this.mode = mode;
  }

  /** {@code <prefix>[-<run id>][-<lane>]-<seq>.parquet} inside the partition's directory. */
  String dataFile(String partition, int lane, int lanes, long seq) {
    return mode.fileName(prefix, partition, lane, lanes, seq);
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

  /**
   * Before anything is read: the first data file of each unpartitioned lane, the rejects file, the
   * batch manifest and the report (if written) must not exist.
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
    if (mode.checksEachFirstName() && partitionedOrShared && seq == 0) {
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
