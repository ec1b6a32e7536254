package io.daskmpi.operator.config;

import io.daskmpi.operator.slurm.ApiVersion;
import io.daskmpi.operator.slurm.SlurmEndpoint;
import io.daskmpi.operator.submit.PathRoots;
import io.daskmpi.operator.submit.RenderSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One named Slurm endpoint the operator may submit to.
 *
 * @param name the name DaskMpiJobs refer to in {@code spec.cluster}
 * @param url slurmrestd's base URL
 * @param user the Slurm user jobs run as (the token's user)
 * @param tokenFile file holding the user's JWT, re-read when it changes
 * @param apiVersion REST API version to use instead of negotiating one
 * @param runtimeCommand how to start the rank-role runtime for {@code container.runtime: none}
 * @param allowedNamespaces the namespaces whose DaskMpiJobs may use this endpoint; empty: all
 * @param allowedRoots directories a job's working directory, script and bind sources must lie
 *     under, with {@code {namespace}} and {@code {user}} put in per resource; empty: anywhere
 */
public record EndpointConfig(
    String name,
    URI url,
    String user,
    Path tokenFile,
    Optional<ApiVersion> apiVersion,
    List<String> runtimeCommand,
    Set<String> allowedNamespaces,
    List<String> allowedRoots) {

  public EndpointConfig {
    runtimeCommand = List.copyOf(runtimeCommand);
    allowedNamespaces = Set.copyOf(allowedNamespaces);
    allowedRoots = List.copyOf(allowedRoots);
  }

  /** An endpoint open to every namespace, confining no path. */
  public EndpointConfig(
      String name,
      URI url,
      String user,
      Path tokenFile,
      Optional<ApiVersion> apiVersion,
      List<String> runtimeCommand) {
    this(name, url, user, tokenFile, apiVersion, runtimeCommand, Set.of(), List.of());
  }

  public boolean admits(String namespace) {
    return allowedNamespaces.isEmpty() || allowedNamespaces.contains(namespace);
  }

  public SlurmEndpoint endpoint() {
    return new SlurmEndpoint(url, user, tokenFile, apiVersion, SlurmEndpoint.DEFAULT_TIMEOUT);
  }

  public RenderSettings renderSettings(String namespace) {
    return new RenderSettings(runtimeCommand, RenderSettings.DEFAULT_PATH, roots(namespace));
  }

  public PathRoots roots(String namespace) {
    return PathRoots.of(allowedRoots, namespace, user);
  }
}
