package dev.parquetingest.spi;

import java.util.Set;

/**
 * A {@link Source} (usually a {@link SharedSource}'s reader) whose records must be written into
 * files by a key of its own, such as a Kafka topic-partition: a file holds records of one key only,
 * the source names each file after its first record, and it learns when every record of a key that
 * it has handed out is durable. This is what makes a replaying source effectively-once: after a
 * crash the replayed records make the same names, and the source moves past a file the sink already
 * holds instead of writing its records again.
 *
 * <p>The runtime, for a source that implements this: opens one file per key (per partition path,
 * with a {@link dev.parquetingest.partition.Partitioning}); names a new file {@link
 * #fileName(String)} when its first record has just been read; before opening it, asks the sink
 * whether that name {@linkplain Sink#exists exists} and, if so (and the run is not partitioned),
 * calls {@link #alreadyWritten} and drops the record when that returns true; after committing a
 * file (and, in a streaming run, the rejects and a manifest segment) with no other file of the same
 * key left open, calls {@link #keyDurable}; and before the first read it hands the source a {@link
 * FileControl} to finish the files of some keys at once (from inside {@link Source#poll}, e.g.
 * while a consumer gives partitions up). {@link Source#acknowledge} is still called as for any
 * source, when the lane has no file open.
 *
 * <p>All methods are called from the reader's pipeline thread, as its {@link Source} methods are.
 */
public interface KeyedSource {
  /** The key of the record last read; records of different keys never share a file. */
  String fileKey();

  /** The position of the last record of {@code key} read, for the file's last position. */
  Position lastPosition(String key);

  /**
   * The name (relative to the sink, as {@link Sink#create} takes it) of a new file whose first
   * record is the one last read, inside the partition directory {@code partitionPath} ({@code ""}
   * when the run is not partitioned). The same records must give the same name in every run.
   */
  String fileName(String partitionPath);

  /**
   * The sink already holds {@code name}, the name {@link #fileName} gave for the record last read:
   * an earlier run wrote it. The source may read what the file holds (through {@code sink}) and
   * move past its records; it returns true if it did, and the runtime then drops the record last
   * read; false writes the record into a file under another, run-unique name (at-least-once).
   */
  boolean alreadyWritten(String name, Sink sink);

  /**
   * Every record of {@code key} read so far is durable: in a committed file, in committed rejects,
   * or filtered out.
   */
  void keyDurable(String key);

  /** Given by the runtime once, before the first read. */
  void bindFiles(FileControl files);

  /** The runtime's side: the lane's open files, reachable from inside the source's reads. */
  interface FileControl {
    /**
     * Finishes, now, every open file whose key is in {@code keys}: commits it, then (no file of the
     * key left open) calls {@link #keyDurable}. A file whose commit fails is aborted, its records
     * not made durable; the first such failure is thrown after every file was finished.
     */
    void finishFiles(Set<String> keys);
  }
}
