package io.daskmpi.operator.reconcile;

import io.daskmpi.operator.config.EndpointConfig;
import io.daskmpi.operator.config.OperatorConfig;
import io.daskmpi.operator.config.SlurmConnection;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.SlurmException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The configured Slurm endpoints, each connected as each of its users (version negotiated) on first
 * use and kept with its {@link JobTracker}. A failed connection is retried on the next use.
 */
public final class SlurmEndpoints {
  private final OperatorConfig config;
  private final Function<SlurmConnection, SlurmClient> connector;
  private final Clock clock;
  private final Map<String, JobTracker> trackers = new ConcurrentHashMap<>();

  public SlurmEndpoints(
      OperatorConfig config, Function<SlurmConnection, SlurmClient> connector, Clock clock) {
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

  /**
   * Learns from a failed call: when slurmrestd no longer serves the negotiated REST API version,
   * forgets that connection (unless another reconcile replaced it meanwhile), so that the next use
   * of the endpoint negotiates anew.
   *
   * @param used the tracker the failed call went through, or null when connecting failed
   */
  public void failed(SlurmConnection connection, JobTracker used, SlurmException e) {
    if (used != null && e instanceof SlurmException.Unsupported) {
      trackers.remove(connection.key(), used);
    }
  }

  /**
   * The key of the connection a namespace's jobs on endpoint {@code cluster} go through, if the
   * endpoint exists and the namespace may use it.
   */
  public Optional<String> connectionKey(String cluster, String namespace) {
    return config(cluster).flatMap(e -> e.connection(namespace)).map(SlurmConnection::key);
  }

  /** The connections made so far, by {@link SlurmConnection#key()}, with their trackers. */
  public Map<String, JobTracker> connected() {
    return Map.copyOf(trackers);
  }

  /**
   * The tracker of a configured endpoint.
   *
   * @throws io.daskmpi.operator.slurm.SlurmException when connecting fails
   */
  public JobTracker tracker(SlurmConnection connection) {
    return trackers.computeIfAbsent(
        connection.key(),
        key ->
            new JobTracker(
                connector.apply(connection),
                connection.identity().user(),
                config.pollInterval(),
                config.resyncInterval(),
                clock));
  }
}
