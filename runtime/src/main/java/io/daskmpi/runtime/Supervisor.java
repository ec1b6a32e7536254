package io.daskmpi.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

/**
 * Runs this rank's one Dask process: starts it with labelled output, hands it the scheduler address
 * on stdin, stops its whole process tree on request or when the rank is signalled.
 *
 * <p>Java cannot exec(), so the JVM stays the child's parent. On SIGTERM (scancel, srun
 * --kill-on-bad-exit, mpiexec) its shutdown hook passes the signal on to the child's tree and waits
 * a bounded time before killing what is left, so no Dask process outlives its rank.
 */
final class Supervisor {
  /** How long Dask processes get to close after SIGTERM before SIGKILL. */
  static final Duration STOP_GRACE = Duration.ofSeconds(5);

  /**
   * With the scheduler gone there is nobody to say goodbye to, and Dask processes spend their
   * SIGTERM grace trying to reconnect: a short one.
   */
  static final Duration ORPHAN_GRACE = Duration.ofSeconds(1);

  private static final Duration DRAIN = Duration.ofSeconds(2);

  private final Console console;
  private final List<Thread> pumps = new ArrayList<>();
  private volatile Process child;
  private volatile Integer finalCode;

  Supervisor(Console console) {
    this.console = console;
  }

  /** Starts the child; its stdin stays open for {@link #send} until the address is known. */
  void start(List<String> command, Map<String, String> environment) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    builder
        .environment()
        .put(DaskCommands.RUNTIME_PID_VARIABLE, Long.toString(ProcessHandle.current().pid()));
    try {
      child = builder.start();
    } catch (IOException e) {
      throw new RuntimeFailure(
          RuntimeFailure.FAILED, "cannot start " + command.get(0) + ": " + e.getMessage());
    }
    pumps.add(console.pump(child.getInputStream(), false, "stdout"));
    pumps.add(console.pump(child.getErrorStream(), true, "stderr"));
  }

  /** Writes one line to the child's stdin and closes it. */
  void send(String line) {
    try (OutputStream stdin = child.getOutputStream()) {
      stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // the child already ended; its exit code tells the rest
    }
  }

  void closeInput() {
    try {
      child.getOutputStream().close();
    } catch (IOException e) {
      // as above
    }
  }

  boolean running() {
    return child != null && child.isAlive();
  }

  /** The child's exit code if it ends within {@code wait}. */
  OptionalInt waitFor(Duration wait) {
    try {
      if (child.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        return OptionalInt.of(child.exitValue());
      }
      return OptionalInt.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalInt.empty();
    }
  }

  /** Waits up to {@code grace} for the child to end by itself, then stops it; returns its code. */
  int awaitOrStop(Duration grace) {
    OptionalInt code = waitFor(grace);
    if (code.isPresent()) {
      return code.getAsInt();
    }
    console.info("stopping " + describe() + ": it did not end within " + grace.toSeconds() + " s");
    return stop();
  }

  /** Stops the child's tree now; returns its exit code. */
  int stop() {
    return stop(STOP_GRACE);
  }

  /** As {@link #stop()}, with SIGKILL after {@code grace}. */
  int stop(Duration grace) {
    stopTree(child.toHandle(), grace);
    return waitFor(Duration.ofSeconds(1)).orElse(137);
  }

  /**
   * SIGTERM to the process and all its descendants, SIGKILL to whatever is left after {@code
   * grace}.
   */
  static void stopTree(ProcessHandle root, Duration grace) {
    List<ProcessHandle> tree = Stream.concat(Stream.of(root), root.descendants()).toList();
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    while (tree.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
      Rendezvous.sleep(Duration.ofMillis(50));
    }
    tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * On SIGTERM/SIGINT: stop the child's tree, then end the JVM with {@code exitCode}: 0 when the
   * client had already finished (the signal is srun cleaning up after it), else 143. Without this,
   * srun --kill-on-bad-exit turns a failed client's exit code into 143 (slurm-lab §5 pitfall 3).
   */
  void onSignal(IntSupplier exitCode) {
    Thread hook =
        new Thread(
            () -> {
              Integer decided = finalCode;
              if (decided == null) {
                Process current = child;
                if (current != null && current.isAlive()) {
                  stopTree(current.toHandle(), STOP_GRACE);
                }
                decided = exitCode.getAsInt();
              }
              drain();
              // Also when the signal came while exit() was draining: the JVM would otherwise end
              // with 143, not with the code this rank had decided on.
              Runtime.getRuntime().halt(decided);
            },
            "signal");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Ends the rank with {@code code} once the child's output is written out. */
  void exit(int code) {
    finalCode = code;
    drain();
    System.exit(code);
  }

  private void drain() {
    // A grandchild that inherited the pipes can keep them open: bounded wait.
    long deadline = System.nanoTime() + DRAIN.toNanos();
    for (Thread pump : pumps) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        return;
      }
      try {
        pump.join(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private String describe() {
    return "the Dask process (pid " + child.pid() + ")";
  }
}
