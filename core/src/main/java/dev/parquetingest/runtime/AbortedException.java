package dev.parquetingest.runtime;

import dev.parquetingest.common.IngestException;

/** Thrown in a lane when the run is aborted past its stop deadline. */
final class AbortedException extends IngestException {
  private static final long serialVersionUID = 1L;

  AbortedException() {
    super("aborted past the stop deadline");
  }
}
