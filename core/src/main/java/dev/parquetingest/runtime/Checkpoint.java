package dev.parquetingest.runtime;

import dev.parquetingest.spi.KeyedSource;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.Source;

/**
 * The order of an acknowledgement, once a lane has no file open: its files are committed (the
 * caller did that), then the rejects written since the last checkpoint are committed and a manifest
 * segment lists the committed files (streaming runs; a batch run writes both at its end), and only
 * then is the source told that everything up to the position is delivered. So every acknowledged
 * record is in a committed data file or a committed rejects file, and every such data file is in a
 * manifest. Thread-safe.
 */
final class Checkpoint {
  private final RejectsFile rejects;
  private final Manifest manifest;

  Checkpoint(RejectsFile rejects, Manifest manifest) {
    this.rejects = rejects;
    this.manifest = manifest;
  }

  /** After the lane's last open file was committed. */
  void afterCommit(Source source, Position last) {
    rejects.checkpoint();
    manifest.checkpoint();
    if (last != null) {
      source.acknowledge(last);
    }
  }

  /**
   * A keyed source's file was committed and no other file of its key is open: the rejects and a
   * manifest segment are committed (as before any acknowledgement), then the key is durable.
   */
  void keyDurable(KeyedSource source, String key) {
    rejects.checkpoint();
    manifest.checkpoint();
    source.keyDurable(key);
  }

  /** Records read since the last acknowledgement were all filtered or rejected; no file open. */
  void withoutFile(Source source) {
    rejects.checkpoint();
    Position last = source.position();
    if (last != null) {
      source.acknowledge(last);
    }
  }
}
