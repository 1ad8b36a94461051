package dev.parquetingest.runtime;

import java.util.Locale;

/**
 * What differs between a batch run ({@code ParquetIngest.run()}) and a streaming one ({@code
 * start()}), decided once instead of tested everywhere: the names of files, rejects, manifests and
 * the report; whether the rejects and a manifest segment are committed at every checkpoint
 * (streaming, before the acknowledgement) or once at the end (batch); and whether records that
 * produced no row are acknowledged while no file is open. Immutable.
 */
abstract class RunMode {
  private RunMode() {}

  static RunMode batch() {
    return new Batch();
  }

  /**
   * @param runId the id that goes into every name, e.g. {@code 20261122T002356123Z-3f9a}
   */
  static RunMode streaming(String runId) {
    return new Streaming(runId);
  }

  /** {@code <prefix>[-<run id>]}: the start of every data file name. */
  abstract String dataPrefix(String prefix);

  abstract String rejectsName(String prefix, long sequence);

  abstract String manifestName(String prefix, long sequence);

  abstract String reportName(String prefix);

  /** Whether each checkpoint commits the rejects and a manifest segment before acknowledging. */
  abstract boolean checkpointsCommitRejects();

  /** Whether records that produced no row are acknowledged after the idle age, no file open. */
  abstract boolean acknowledgesIdle();

  /** Whether the first name of each partition (and worker) must be checked before its file. */
  abstract boolean checksEachFirstName();

  /** Whether the manifest's name is known, and so checked, before the run. */
  abstract boolean checksManifestName();

  /** A data file's name inside its partition directory (if any). */
  final String fileName(String prefix, String partition, int lane, int lanes, long seq) {
    String name =
        lanes == 1
            ? String.format(Locale.ROOT, "%s-%05d.parquet", dataPrefix(prefix), seq)
            : String.format(Locale.ROOT, "%s-%03d-%05d.parquet", dataPrefix(prefix), lane, seq);
    return partition.isEmpty() ? name : partition + "/" + name;
  }

  private static final class Batch extends RunMode {
    @Override
    String dataPrefix(String prefix) {
      return prefix;
    }

    @Override
    String rejectsName(String prefix, long sequence) {
      return "_" + prefix + ".rejects.jsonl";
    }

    @Override
    String manifestName(String prefix, long sequence) {
      return "_" + prefix + ".manifest.jsonl";
    }

    @Override
    String reportName(String prefix) {
      return "_" + prefix + ".report.json";
    }

    @Override
    boolean checkpointsCommitRejects() {
      return false;
    }

    @Override
    boolean acknowledgesIdle() {
      return false;
    }

    @Override
    boolean checksEachFirstName() {
      return true;
    }

    @Override
    boolean checksManifestName() {
      return true;
    }
  }

  private static final class Streaming extends RunMode {
    private final String runId;

    Streaming(String runId) {
      this.runId = runId;
    }

    @Override
    String dataPrefix(String prefix) {
      return prefix + "-" + runId;
    }

    @Override
    String rejectsName(String prefix, long sequence) {
      return String.format(Locale.ROOT, "_%s-%s.rejects-%05d.jsonl", prefix, runId, sequence);
    }

    @Override
    String manifestName(String prefix, long sequence) {
      return String.format(Locale.ROOT, "_%s-%s.manifest-%05d.jsonl", prefix, runId, sequence);
    }

    @Override
    String reportName(String prefix) {
      return "_" + prefix + "-" + runId + ".report.json";
    }

    @Override
    boolean checkpointsCommitRejects() {
      return true;
    }

    @Override
    boolean acknowledgesIdle() {
      return true;
    }

    @Override
    boolean checksEachFirstName() {
      return false;
    }

    @Override
    boolean checksManifestName() {
      return false;
    }
  }
}
