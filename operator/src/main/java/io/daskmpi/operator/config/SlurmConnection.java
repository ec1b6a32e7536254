package io.daskmpi.operator.config;

import io.daskmpi.operator.slurm.SlurmEndpoint;
import io.daskmpi.operator.slurm.SlurmIdentity;

/**
 * One endpoint as one Slurm user: what the operator connects, polls and submits through. Each user
 * has a connection of its own, so a request never carries another namespace's token.
 */
public record SlurmConnection(EndpointConfig endpoint, SlurmIdentity identity) {

  /** Names the connection in logs and in the map of connected trackers: {@code endpoint/user}. */
  public String key() {
    return endpoint.name() + "/" + identity.user();
  }

  public SlurmEndpoint slurmEndpoint() {
    return endpoint.endpoint(identity);
  }
}
