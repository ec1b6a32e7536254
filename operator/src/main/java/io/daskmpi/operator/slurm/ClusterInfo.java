package io.daskmpi.operator.slurm;

import java.util.List;

/**
 * What a ping learns about a Slurm endpoint.
 *
 * @param slurmRelease the Slurm release slurmrestd reports, e.g. {@code 24.11.5}
 * @param apiVersion the REST API version this client speaks to it
 * @param offeredVersions every REST API version the server offers, newest first
 * @param controllerResponding whether slurmctld answered the ping
 * @param accounting whether slurmrestd serves slurmdbd's records ({@code /slurmdb/}) in the chosen
 *     version, so that jobs slurmctld has forgotten can still be looked up
 */
public record ClusterInfo(
    String slurmRelease,
    ApiVersion apiVersion,
    List<String> offeredVersions,
    boolean controllerResponding,
    boolean accounting) {
  public ClusterInfo {
    offeredVersions = List.copyOf(offeredVersions);
  }
}
