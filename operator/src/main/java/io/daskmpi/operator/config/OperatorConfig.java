package io.daskmpi.operator.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The operator's whole configuration.
 *
 * @param endpoints the Slurm endpoints by name
 * @param watchNamespaces namespaces to watch; empty means all
 * @param pollInterval how often each endpoint is polled for job changes (one jobs/state request per
 *     300 followed jobs; v0.0.38: one listing)
 * @param resyncInterval about how often a pending job's details are re-read (v0.0.38: a full
 *     listing); a followed job's resource is reconciled at least every half of it
 */
public record OperatorConfig(
    Map<String, EndpointConfig> endpoints,
    Set<String> watchNamespaces,
    Duration pollInterval,
    Duration resyncInterval) {

  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);
  public static final Duration DEFAULT_RESYNC_INTERVAL = Duration.ofMinutes(5);

  public OperatorConfig {
    endpoints = Map.copyOf(endpoints);
    watchNamespaces = Set.copyOf(watchNamespaces);
  }

  public Optional<EndpointConfig> endpoint(String name) {
    return Optional.ofNullable(endpoints.get(name));
  }
}
