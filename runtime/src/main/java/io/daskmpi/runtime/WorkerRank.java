package io.daskmpi.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Ranks 2 and up: run a Dask worker until the scheduler ends it. See {@link ExitRule} for the exit
 * code.
 */
final class WorkerRank {
  /**
   * How long an ended worker waits for rank 0 or rank 1 to say why, before calling it a failure.
   */
  private static final Duration VERDICT_WAIT = Duration.ofSeconds(5);

  private final Launch launch;

  WorkerRank(Launch launch) {
    this.launch = launch;
  }

  int run() {
    Supervisor supervisor = launch.supervisor();
    supervisor.onSignal(() -> launch.shutdownRequested() ? 0 : 143);
    supervisor.start(
        launch.commands().worker(launch.rank().rank()), launch.childEnvironment(Map.of()));
    launch.awaitScheduler();
    int code = superviseWorker();
    awaitMarkers();
    Rendezvous rendezvous = launch.rendezvous();
    ExitRule.Verdict verdict =
        ExitRule.worker(code, rendezvous.clientExit(), rendezvous.schedulerExit());
    verdict.error().ifPresent(launch.console()::error);
    return verdict.exitCode();
  }

  private int superviseWorker() {
    Supervisor supervisor = launch.supervisor();
    Rendezvous rendezvous = launch.rendezvous();
    while (true) {
      OptionalInt code = supervisor.waitFor(Launch.POLL);
      if (code.isPresent()) {
        return code.getAsInt();
      }
      OptionalInt scheduler = rendezvous.schedulerExit();
      if (scheduler.isPresent() && scheduler.getAsInt() != 0) {
        // A worker outlives a crashed scheduler by its death timeout: no point waiting for that.
        return supervisor.stop(Supervisor.ORPHAN_GRACE);
      }
      if (scheduler.isPresent() || rendezvous.clientExit().isPresent()) {
        return supervisor.awaitOrStop(Launch.SHUTDOWN_GRACE);
      }
    }
  }

  /** The worker often ends before rank 0 has recorded the scheduler's end: give it a moment. */
  private void awaitMarkers() {
    Rendezvous rendezvous = launch.rendezvous();
    long deadline = System.nanoTime() + VERDICT_WAIT.toNanos();
    while (rendezvous.clientExit().isEmpty()
        && rendezvous.schedulerExit().isEmpty()
        && System.nanoTime() - deadline < 0) {
      Rendezvous.sleep(Launch.POLL);
    }
  }
}
