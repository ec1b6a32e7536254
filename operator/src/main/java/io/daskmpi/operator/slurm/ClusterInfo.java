package io.daskmpi.operator.slurm;

import java.util.List;

/**
 * What a ping learns about a Slurm endpoint.
 *
 * @param slurmRelease the Slurm release slurmrestd reports, e.g. {@code 24.11.5}
 * @param apiVersion the REST API version this client speaks to it
 * @param offeredVersions every REST API version the server offers, newest first
 * @param controllerResponding whether slurmctld answered the ping
 */
public record ClusterInfo(
    String slurmRelease,
    ApiVersion apiVersion,
    List<String> offeredVersions,
    boolean controllerResponding) {
  public ClusterInfo {
    offeredVersions = List.copyOf(offeredVersions);
  }
}
