package io.daskmpi.runtime;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * How a rank's exit code follows from its Dask process's and the rendezvous markers. The rule: the
 * launch's exit code is the client's. Once the client has recorded its exit code, the scheduler and
 * the workers exit 0 whatever their processes did, so neither srun (which reports the highest task
 * exit code) nor --kill-on-bad-exit can mask the client's code. Without the client's code they exit
 * non-zero unless the scheduler was shut down cleanly (exit 0), e.g. by the script's own {@code
 * client.shutdown()}.
 */
final class ExitRule {
  private ExitRule() {}

  /** An exit code and, when something went wrong, what to tell the user. */
  record Verdict(int exitCode, Optional<String> error) {
    static Verdict ok() {
      return new Verdict(0, Optional.empty());
    }

    static Verdict failed(int exitCode, String error) {
      return new Verdict(exitCode, Optional.of(error));
    }
  }

  /**
   * @param stopped the runtime stopped the scheduler itself (the client finished, it lingered)
   */
  static Verdict scheduler(int schedulerCode, boolean stopped, OptionalInt clientExit) {
    String error = "the scheduler exited with code " + schedulerCode;
    if (clientExit.isPresent()) {
      return schedulerCode == 0 || stopped ? Verdict.ok() : new Verdict(0, Optional.of(error));
    }
    return schedulerCode == 0 ? Verdict.ok() : Verdict.failed(schedulerCode, error);
  }

  static Verdict worker(int workerCode, OptionalInt clientExit, OptionalInt schedulerExit) {
    if (clientExit.isPresent() || schedulerExit.orElse(-1) == 0) {
      return Verdict.ok();
    }
    if (schedulerExit.isPresent()) {
      return Verdict.failed(
          RuntimeFailure.FAILED,
          "the scheduler (rank 0) exited with code "
              + schedulerExit.getAsInt()
              + " before the client finished");
    }
    return Verdict.failed(
        workerCode == 0 ? RuntimeFailure.FAILED : workerCode,
        "the worker exited with code " + workerCode + " before the client finished");
  }

  /** The client launcher records the script's code; the process's own code counts if it died. */
  static Verdict client(int processCode, OptionalInt clientExit) {
    return new Verdict(clientExit.orElse(processCode), Optional.empty());
  }
}
