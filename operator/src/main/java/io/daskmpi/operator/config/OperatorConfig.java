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
 * @param pollInterval how often each endpoint is polled for job changes (one request per endpoint)
 * @param resyncInterval how often a full job listing checks that no tracked job vanished
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
