package io.daskmpi.operator.config;

import io.daskmpi.operator.slurm.ApiVersion;
import io.daskmpi.operator.slurm.SlurmEndpoint;
import io.daskmpi.operator.submit.RenderSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One named Slurm endpoint the operator may submit to.
 *
 * @param name the name DaskMpiJobs refer to in {@code spec.cluster}
 * @param url slurmrestd's base URL
 * @param user the Slurm user jobs run as (the token's user)
 * @param tokenFile file holding the user's JWT, re-read when it changes
 * @param apiVersion REST API version to use instead of negotiating one
 * @param runtimeCommand how to start the rank-role runtime for {@code container.runtime: none}
 */
public record EndpointConfig(
    String name,
    URI url,
    String user,
    Path tokenFile,
    Optional<ApiVersion> apiVersion,
    List<String> runtimeCommand) {

  public EndpointConfig {
    runtimeCommand = List.copyOf(runtimeCommand);
  }

  public SlurmEndpoint endpoint() {
    return new SlurmEndpoint(url, user, tokenFile, apiVersion, SlurmEndpoint.DEFAULT_TIMEOUT);
  }

  public RenderSettings renderSettings() {
    return new RenderSettings(runtimeCommand, RenderSettings.DEFAULT_PATH);
  }
}
