package dev.parquetingest.runtime;

import dev.parquetingest.common.IngestException;

/** Thrown in a lane that stops because another lane failed. */
final class StoppedException extends IngestException {
  private static final long serialVersionUID = 1L;

  StoppedException() {
    super("stopped because another worker failed");
  }
}
