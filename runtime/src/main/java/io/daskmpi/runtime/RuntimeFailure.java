package io.daskmpi.runtime;

/** A failure the runtime reports in one line and turns into the rank's exit code. */
final class RuntimeFailure extends RuntimeException {
  /** Bad options or a launch the runtime cannot work with (too few ranks, no rank at all). */
  static final int USAGE = 2;

  /** The launch started but did not come together (no scheduler, scheduler died, ...). */
  static final int FAILED = 1;

  private final int exitCode;

  RuntimeFailure(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
