package io.daskmpi.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What every rank's role works with.
 *
 * @param environment this process's environment, the base of the child's
 */
record Launch(
    Rank rank,
    RuntimeOptions options,
    Rendezvous rendezvous,
    Console console,
    Supervisor supervisor,
    Map<String, String> environment) {

  /** How often a rank looks at its child and the rendezvous markers. */
  static final Duration POLL = Duration.ofMillis(100);

  /** How long the scheduler and workers get to end by themselves after the client finished. */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

  DaskCommands commands() {
    return new DaskCommands(options);
  }

  /** The private cluster's key and certificate (made by rank 0), with {@code --tls}. */
  JobCredential credential() {
    return new JobCredential(rendezvous.directory());
  }

  /**
   * The child's environment: Python output unbuffered, so lines reach the label as printed; with
   * {@code --tls}, Dask's configuration of the private cluster.
   */
  Map<String, String> childEnvironment(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    if (!environment.containsKey("PYTHONUNBUFFERED")) {
      env.put("PYTHONUNBUFFERED", "1");
    }
    if (options.tls()) {
      env.putAll(credential().daskEnvironment());
    }
    env.putAll(extra);
    return env;
  }

  /** A shutdown the client asked for: its exit marker, or the scheduler ending cleanly. */
  boolean shutdownRequested() {
    return rendezvous.clientExit().isPresent() || rendezvous.schedulerExit().orElse(-1) == 0;
  }

  /**
   * Waits for this launch's scheduler and hands its address to the child (started already, so its
   * Python imports overlap the scheduler's start-up). Stops the child and fails if it never comes.
   */
  SchedulerFile awaitScheduler() {
    Rendezvous.Wait wait = rendezvous.awaitScheduler(options.timeout(), supervisor::running);
    if (wait instanceof Rendezvous.Ready ready) {
      supervisor.send(ready.scheduler().address());
      return ready.scheduler();
    }
    if (wait instanceof Rendezvous.Abandoned) {
      int code = supervisor.waitFor(Duration.ZERO).orElse(RuntimeFailure.FAILED);
      throw new RuntimeFailure(
          code == 0 ? RuntimeFailure.FAILED : code,
          "the "
              + rank.role().label()
              + " process exited with code "
              + code
              + " before the"
              + " scheduler was ready");
    }
    String why =
        wait instanceof Rendezvous.SchedulerEnded ended
            ? "the scheduler (rank 0) exited with code " + ended.exitCode() + " before it was ready"
            : "no scheduler after "
                + seconds(options.timeout())
                + ": rank 0 wrote no "
                + rendezvous.schedulerFile()
                + " (did rank 0 start? do all nodes see this directory?)";
    supervisor.stop(Supervisor.ORPHAN_GRACE);
    throw new RuntimeFailure(RuntimeFailure.FAILED, why);
  }

  String seconds(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + " s"
        : String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }
}
