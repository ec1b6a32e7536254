package io.daskmpi.operator.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The nodes of a multi-node local cluster ({@code dev/local-slurm up --slurm 26.05 --nodes N}):
 * their names, the processes running on each (seen from the host, through each node's network
 * namespace), and a node's crash and revival.
 */
public record SlurmNodes(LocalSlurm cluster, List<String> names) {
  /** The job user's uid: every rank runs as it. */
  public static final int JOB_UID = 1501;

  public static SlurmNodes of(LocalSlurm cluster) {
    String nodes = cluster.env().getOrDefault("DASKMPI_SLURM_NODES", "");
    if (nodes.isBlank()) {
      throw new IllegalStateException(
          "the local Slurm "
              + cluster.version()
              + " is single-node: dev/local-slurm up --slurm "
              + cluster.version()
              + " --nodes 3");
    }
    return new SlurmNodes(cluster, List.of(nodes.trim().split("\\s+")));
  }

  /** Every process of the job user on each node: "pid command line", by node name. */
  public Map<String, List<String>> jobProcesses() {
    Map<String, String> nodeOfNamespace = new LinkedHashMap<>();
    Map<String, List<String>> found = new LinkedHashMap<>();
    for (String node : names) {
      nodeOfNamespace.put(netnsId(node), node);
      found.put(node, new ArrayList<>());
    }
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        String node = nodeOfNamespace.get(readLink(proc.resolve("ns/net")));
        if (node != null && uid(proc) == JOB_UID) {
          found.get(node).add(proc.getFileName() + " " + commandLine(proc));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return found;
  }

  /**
   * {@code sbatch --wait SCRIPT} as the job user on this cluster: returns sbatch's output (the job
   * id) once the job has ended, and fails unless it ended with exit code 0.
   */
  public String sbatchAndWait(Path script) {
    return script(
        "exec",
        "--slurm",
        cluster.version(),
        "--",
        "runuser",
        "-u",
        cluster.user(),
        "--",
        "sbatch",
        "--wait",
        "--parsable",
        script.toString());
  }

  /** Slurm holds a requeued job back (BeginTime): lets it start at once. */
  public void startNow(long jobId) {
    script(
        "exec",
        "--slurm",
        cluster.version(),
        "--",
        "scontrol",
        "update",
        "jobid=" + jobId,
        "starttime=now");
  }

  /** SIGKILL to everything on the node, as a crash: {@code dev/local-slurm kill-node}. */
  public void kill(String node) {
    script("kill-node", node, "--slurm", cluster.version());
  }

  /** Starts the slurmd of every node that is not running and waits until all are idle. */
  public void revive() {
    script("up", "--slurm", cluster.version());
  }

  private static String script(String... args) {
    List<String> command = new ArrayList<>();
    command.add(LocalSlurm.repo().resolve("dev/local-slurm").toString());
    command.addAll(Arrays.asList(args));
    return ShellEnv.run(Duration.ofMinutes(5), command.toArray(String[]::new));
  }

  private static String netnsId(String node) {
    try {
      Object inode = Files.getAttribute(Path.of("/run/netns/daskmpi-" + node), "unix:ino");
      return "net:[" + inode + "]";
    } catch (IOException e) {
      throw new IllegalStateException("no network namespace for node " + node, e);
    }
  }

  private static String readLink(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException | UnsupportedOperationException e) {
      return ""; // the process ended meanwhile
    }
  }

  private static int uid(Path proc) {
    try {
      for (String line : Files.readAllLines(proc.resolve("status"))) {
        if (line.startsWith("Uid:")) {
          return Integer.parseInt(line.split("\\s+")[1]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process ended meanwhile
    }
    return -1;
  }

  private static String commandLine(Path proc) {
    try {
      return new String(Files.readAllBytes(proc.resolve("cmdline"))).replace('\0', ' ').trim();
    } catch (IOException e) {
      return "?";
    }
  }
}
