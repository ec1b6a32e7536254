package io.daskmpi.operator.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What an administrator does to a local cluster with {@code scontrol} (as root, in the cluster's
 * root): requeue a job, set nodes down under it, bring them back.
 */
public record SlurmAdmin(LocalSlurm cluster) {

  /** {@code scontrol ARGS}; returns "EXIT: output". */
  public String scontrol(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                LocalSlurm.repo().resolve("dev/local-slurm").toString(),
                "exec",
                "--slurm",
                cluster.version(),
                "--",
                "scontrol"));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return p.waitFor() + ": " + out.strip();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run scontrol", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code scontrol ARGS}, which must succeed. */
  public void ok(String... args) {
    String result = scontrol(args);
    if (!result.startsWith("0:")) {
      throw new AssertionError("scontrol " + String.join(" ", args) + " failed: " + result);
    }
  }

  /**
   * Sets NODES (a host list) DOWN under the jobs running there: Slurm ends them with NODE_FAIL.
   * With ReturnToService=2 the nodes come back by themselves within seconds; a node between states
   * refuses the change for a moment ("Invalid node state specified").
   */
  public void failNodes(String nodes) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> scontrol("update", "nodename=" + nodes, "state=down", "reason=test"),
            result -> result.startsWith("0:"));
  }

  /** NODES back in service, if they are not back already (see {@link #failNodes}). */
  public void resumeNodes(String nodes) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              String state = scontrol("show", "node", nodes);
              return !(state.contains("DOWN") || state.contains("DRAIN"))
                  || scontrol("update", "nodename=" + nodes, "state=resume").startsWith("0:");
            });
  }
}
