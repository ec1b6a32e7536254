package io.daskmpi.operator.config;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the operator reaches a running job for {@code kubectl daskmpi logs} and {@code dashboard}, as
 * the site allows: its output files through a shared filesystem mounted into the operator's pod,
 * its dashboard by HTTP to the batch host.
 *
 * @param outputPaths where the operator sees a directory of the cluster: cluster path prefix to
 *     local path (e.g. {@code /home} to {@code /mnt/cluster/home}); empty: no output access
 * @param dashboards whether the operator may connect to a running job's dashboard on its batch host
 * @param dashboardPorts the ports it may connect to there: a job chooses its dashboard port, and
 *     the tunnel must not become a way into the node's other services
 */
public record JobAccess(
    Map<String, String> outputPaths, boolean dashboards, List<PortRange> dashboardPorts) {
  public static final List<PortRange> DEFAULT_DASHBOARD_PORTS = List.of(new PortRange(8787, 8787));
  public static final JobAccess NONE = new JobAccess(Map.of(), false);

  /** Ports LOW to HIGH, both included. */
  public record PortRange(int low, int high) {
    /** {@code 8787} or {@code 8787-8799}; empty when the text is neither. */
    public static Optional<PortRange> parse(String text) {
      String[] ends = text.strip().split("-", -1);
      try {
        int low = Integer.parseInt(ends[0].strip());
        int high = ends.length == 2 ? Integer.parseInt(ends[1].strip()) : low;
        boolean valid = ends.length <= 2 && low >= 1 && low <= high && high <= 65535;
        return valid ? Optional.of(new PortRange(low, high)) : Optional.empty();
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }

    boolean contains(int port) {
      return port >= low && port <= high;
    }
  }

  public JobAccess {
    outputPaths = Map.copyOf(outputPaths);
    dashboardPorts = List.copyOf(dashboardPorts);
  }

  /** Dashboards on the default port only. */
  public JobAccess(Map<String, String> outputPaths, boolean dashboards) {
    this(outputPaths, dashboards, DEFAULT_DASHBOARD_PORTS);
  }

  public boolean allowsDashboardPort(int port) {
    return dashboards && dashboardPorts.stream().anyMatch(r -> r.contains(port));
  }

  /**
   * Where the operator reads a file the job wrote at {@code clusterPath}: under the longest mapped
   * prefix that contains it (whole path components), or empty when no mapping covers it.
   */
  public Optional<LocalPath> localPath(String clusterPath) {
    if (clusterPath == null || !clusterPath.startsWith("/")) {
      return Optional.empty();
    }
    Path cluster = Path.of(clusterPath).normalize();
    return outputPaths.entrySet().stream()
        .filter(e -> cluster.startsWith(Path.of(e.getKey())))
        .max(Comparator.comparingInt(e -> Path.of(e.getKey()).getNameCount()))
        .map(
            e -> {
              Path root = Path.of(e.getValue());
              return new LocalPath(root, root.resolve(Path.of(e.getKey()).relativize(cluster)));
            });
  }
}
