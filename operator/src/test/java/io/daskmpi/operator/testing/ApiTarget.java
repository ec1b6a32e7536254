package io.daskmpi.operator.testing;

import io.daskmpi.operator.slurm.ApiVersion;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.rest.SlurmClients;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** One REST API version of one local cluster: what the per-version ITs run against. */
public record ApiTarget(LocalSlurm cluster, ApiVersion version) {

  /** Every version the client speaks of every cluster under test ({@code DASKMPI_IT_SLURM}). */
  public static Stream<ApiTarget> all() {
    List<ApiTarget> targets = new ArrayList<>();
    for (String version : LocalSlurm.versions()) {
      LocalSlurm cluster = LocalSlurm.of(version);
      SlurmClients.connect(cluster.endpoint()).ping().offeredVersions().stream()
          .map(ApiVersion::parse)
          .flatMap(Optional::stream)
          .forEach(v -> targets.add(new ApiTarget(cluster, v)));
    }
    return targets.stream();
  }

  public SlurmClient client() {
    return SlurmClients.connect(cluster.endpoint().withApiVersion(version));
  }

  @Override
  public String toString() {
    return "Slurm " + cluster.version() + " " + version;
  }
}
