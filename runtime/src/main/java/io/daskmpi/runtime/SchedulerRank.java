package io.daskmpi.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Rank 0: runs the Dask scheduler until the client's shutdown ends it, then records how it ended so
 * the workers and the client can tell a clean end from a crash.
 */
final class SchedulerRank {
  private final Launch launch;
  private boolean stopped;

  SchedulerRank(Launch launch) {
    this.launch = launch;
  }

  int run() {
    Rendezvous rendezvous = launch.rendezvous();
    try {
      rendezvous.prepareForScheduler();
    } catch (IOException e) {
      throw new RuntimeFailure(
          RuntimeFailure.FAILED,
          "cannot prepare the rendezvous directory " + rendezvous.directory() + ": " + e);
    }
    if (launch.options().tls()) {
      // Before the scheduler file exists: the other ranks read the files once they see it.
      try {
        launch.credential().create();
      } catch (IOException e) {
        rendezvous.recordSchedulerExit(RuntimeFailure.FAILED);
        throw new RuntimeFailure(
            RuntimeFailure.FAILED, "cannot make the private cluster's key: " + e.getMessage());
      }
    }
    Supervisor supervisor = launch.supervisor();
    supervisor.onSignal(() -> rendezvous.clientExit().isPresent() ? 0 : 143);
    try {
      supervisor.start(
          launch.commands().scheduler(rendezvous.schedulerFile(), hostName()),
          launch.childEnvironment(Map.of()));
    } catch (RuntimeFailure e) {
      rendezvous.recordSchedulerExit(127);
      throw e;
    }
    supervisor.closeInput();
    int code = superviseScheduler();
    rendezvous.recordSchedulerExit(code);
    ExitRule.Verdict verdict = ExitRule.scheduler(code, stopped, rendezvous.clientExit());
    verdict.error().ifPresent(launch.console()::error);
    if (verdict.error().isEmpty() && code == 0 && rendezvous.clientExit().isEmpty()) {
      launch.console().info("the scheduler was shut down before the client script finished");
    }
    return verdict.exitCode();
  }

  private int superviseScheduler() {
    Rendezvous rendezvous = launch.rendezvous();
    Supervisor supervisor = launch.supervisor();
    long deadline = System.nanoTime() + launch.options().timeout().toNanos();
    boolean ready = false;
    while (true) {
      OptionalInt code = supervisor.waitFor(Launch.POLL);
      if (code.isPresent()) {
        return code.getAsInt();
      }
      ready = ready || rendezvous.scheduler().isPresent();
      if (rendezvous.clientExit().isPresent() && !ready) {
        // The client gave up waiting for a scheduler that never came up (its clock may start
        // before ours on a busy node): nothing to shut down gracefully.
        throw noSchedulerFile("before the client gave up waiting");
      }
      if (rendezvous.clientExit().isPresent()) {
        // The client's launcher has asked the scheduler to shut down; make sure it does.
        OptionalInt ended = supervisor.waitFor(Launch.SHUTDOWN_GRACE);
        if (ended.isPresent()) {
          return ended.getAsInt();
        }
        stopped = true;
        launch
            .console()
            .info(
                "stopping the scheduler: still running "
                    + launch.seconds(Launch.SHUTDOWN_GRACE)
                    + " after the client finished");
        return supervisor.stop();
      }
      if (!ready && System.nanoTime() - deadline > 0) {
        throw noSchedulerFile("within " + launch.seconds(launch.options().timeout()));
      }
    }
  }

  private RuntimeFailure noSchedulerFile(String when) {
    launch.supervisor().stop();
    launch.rendezvous().recordSchedulerExit(RuntimeFailure.FAILED);
    return new RuntimeFailure(
        RuntimeFailure.FAILED,
        "the scheduler wrote no " + launch.rendezvous().schedulerFile() + " " + when);
  }

  /**
   * Where the scheduler listens. The node's host name rather than 127.0.0.1, so ranks on other
   * nodes reach it; {@code --interface} overrides this where the host name resolves to the wrong
   * network.
   */
  static String hostName() {
    try {
      String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
      if (!name.isEmpty()) {
        return name;
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: ask Java
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "127.0.0.1";
    }
  }
}
