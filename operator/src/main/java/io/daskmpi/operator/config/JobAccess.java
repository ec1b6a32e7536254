package io.daskmpi.operator.config;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * How the operator reaches a running job for {@code kubectl daskmpi logs} and {@code dashboard}, as
 * the site allows: its output files through a shared filesystem mounted into the operator's pod,
 * its dashboard by HTTP to the batch host.
 *
 * @param outputPaths where the operator sees a directory of the cluster: cluster path prefix to
 *     local path (e.g. {@code /home} to {@code /mnt/cluster/home}); empty: no output access
 * @param dashboards whether the operator may connect to the dashboard port on the job's batch host
 */
public record JobAccess(Map<String, String> outputPaths, boolean dashboards) {
  public static final JobAccess NONE = new JobAccess(Map.of(), false);

  public JobAccess {
    outputPaths = Map.copyOf(outputPaths);
  }

  /**
   * Where the operator reads a file the job wrote at {@code clusterPath}: under the longest mapped
   * prefix that contains it (whole path components), or empty when no mapping covers it.
   */
  public Optional<Path> localPath(String clusterPath) {
    if (clusterPath == null || !clusterPath.startsWith("/")) {
      return Optional.empty();
    }
    Path cluster = Path.of(clusterPath).normalize();
    return outputPaths.entrySet().stream()
        .filter(e -> cluster.startsWith(Path.of(e.getKey())))
        .max(Comparator.comparingInt(e -> Path.of(e.getKey()).getNameCount()))
        .map(e -> Path.of(e.getValue()).resolve(Path.of(e.getKey()).relativize(cluster)));
  }
}
