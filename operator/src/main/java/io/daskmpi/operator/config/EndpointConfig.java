package io.daskmpi.operator.config;

import io.daskmpi.operator.slurm.ApiVersion;
import io.daskmpi.operator.slurm.SlurmEndpoint;
import io.daskmpi.operator.slurm.SlurmIdentity;
import io.daskmpi.operator.slurm.TokenSource;
import io.daskmpi.operator.submit.PathRoots;
import io.daskmpi.operator.submit.RenderSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One named Slurm endpoint the operator may submit to, and as whom for each namespace.
 *
 * @param name the name DaskMpiJobs refer to in {@code spec.cluster}
 * @param url slurmrestd's base URL
 * @param defaultIdentity the Slurm user of namespaces not mapped in {@code namespaceIdentities};
 *     empty: only mapped namespaces may use the endpoint
 * @param namespaceIdentities the Slurm user each listed namespace's jobs run as
 * @param apiVersion REST API version to use instead of negotiating one
 * @param runtimeCommand how to start the rank-role runtime for {@code container.runtime: none}
 * @param allowedNamespaces the namespaces whose DaskMpiJobs may use this endpoint; empty: all that
 *     have an identity
 * @param allowedRoots directories a job's working directory, script and bind sources must lie
 *     under, with {@code {namespace}} and {@code {user}} put in per resource; empty: anywhere
 * @param access how the operator reaches the jobs' output files and dashboards
 */
public record EndpointConfig(
    String name,
    URI url,
    Optional<SlurmIdentity> defaultIdentity,
    Map<String, SlurmIdentity> namespaceIdentities,
    Optional<ApiVersion> apiVersion,
    List<String> runtimeCommand,
    Set<String> allowedNamespaces,
    List<String> allowedRoots,
    JobAccess access) {

  public EndpointConfig {
    namespaceIdentities = Map.copyOf(namespaceIdentities);
    runtimeCommand = List.copyOf(runtimeCommand);
    allowedNamespaces = Set.copyOf(allowedNamespaces);
    allowedRoots = List.copyOf(allowedRoots);
  }

  /** An endpoint where every namespace runs as one user whose token is in a file. */
  public EndpointConfig(
      String name,
      URI url,
      String user,
      Path tokenFile,
      Optional<ApiVersion> apiVersion,
      List<String> runtimeCommand) {
    this(
        name,
        url,
        Optional.of(new SlurmIdentity(user, new TokenSource.File(tokenFile))),
        Map.of(),
        apiVersion,
        runtimeCommand,
        Set.of(),
        List.of(),
        JobAccess.NONE);
  }

  /** The Slurm user a namespace's jobs run as here, or empty when the namespace may not use it. */
  public Optional<SlurmIdentity> identity(String namespace) {
    if (!allowedNamespaces.isEmpty() && !allowedNamespaces.contains(namespace)) {
      return Optional.empty();
    }
    SlurmIdentity mapped = namespaceIdentities.get(namespace);
    return mapped != null ? Optional.of(mapped) : defaultIdentity;
  }

  public boolean admits(String namespace) {
    return identity(namespace).isPresent();
  }

  /** How the namespace reaches this endpoint, if it may. */
  public Optional<SlurmConnection> connection(String namespace) {
    return identity(namespace).map(who -> new SlurmConnection(this, who));
  }

  public SlurmEndpoint endpoint(SlurmIdentity who) {
    return new SlurmEndpoint(
        url, who.user(), who.token(), apiVersion, SlurmEndpoint.DEFAULT_TIMEOUT);
  }

  public RenderSettings renderSettings(String namespace) {
    return new RenderSettings(runtimeCommand, RenderSettings.DEFAULT_PATH, roots(namespace));
  }

  public PathRoots roots(String namespace) {
    return PathRoots.of(
        allowedRoots, namespace, identity(namespace).map(SlurmIdentity::user).orElse(""));
  }
}
