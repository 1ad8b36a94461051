package dev.parquetingest.runtime;

/** The one place where a later failure is either attached to the first or becomes it. */
final class Failures {
  private Failures() {}

  /**
   * Runs {@code step}; if it fails, adds its exception to {@code failure} as suppressed, or, with
   * no earlier failure, rethrows it.
   */
  static void suppressOrThrow(RuntimeException failure, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      if (failure == null) {
        throw e;
      }
      failure.addSuppressed(e);
    }
  }

  /**
   * Folds one more failure into the first: {@code next} added to {@code first} as suppressed, or
   * {@code next} itself when there is no first yet.
   *
   * @return the first failure
   */
  static RuntimeException chain(RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }
}
