package io.daskmpi.operator.reconcile;

import io.daskmpi.operator.config.EndpointConfig;
import io.daskmpi.operator.config.OperatorConfig;
import io.daskmpi.operator.slurm.SlurmClient;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The configured Slurm endpoints, each connected (version negotiated) on first use and kept with
 * its {@link JobTracker}. A failed connection is retried on the next use.
 */
public final class SlurmEndpoints {
  private final OperatorConfig config;
  private final Function<EndpointConfig, SlurmClient> connector;
  private final Clock clock;
  private final Map<String, JobTracker> trackers = new ConcurrentHashMap<>();

  public SlurmEndpoints(
      OperatorConfig config, Function<EndpointConfig, SlurmClient> connector, Clock clock) {
    this.config = config;
    this.connector = connector;
    this.clock = clock;
  }

  public Optional<EndpointConfig> config(String name) {
    return config.endpoint(name);
  }

  public String names() {
    return String.join(", ", config.endpoints().keySet());
  }

  /** Forgets an endpoint's connection, so that its next use connects and negotiates anew. */
  public void reconnect(EndpointConfig endpoint) {
    trackers.remove(endpoint.name());
  }

  /**
   * The tracker of a configured endpoint.
   *
   * @throws io.daskmpi.operator.slurm.SlurmException when connecting fails
   */
  public JobTracker tracker(EndpointConfig endpoint) {
    return trackers.computeIfAbsent(
        endpoint.name(),
        name ->
            new JobTracker(
                connector.apply(endpoint), config.pollInterval(), config.resyncInterval(), clock));
  }
}
