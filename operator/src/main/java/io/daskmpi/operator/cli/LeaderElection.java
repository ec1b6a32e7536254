package io.daskmpi.operator.cli;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election of the {@code operator} command.
 *
 * <p>JOSDK's default exits the JVM whenever leadership ends. When it ends because we are stopping
 * (SIGTERM runs the shutdown hook, which stops the operator, which cancels the election) that exit
 * is called from inside the shutdown hook and blocks forever: the operator hung on SIGTERM. Here a
 * Lease lost to another replica still exits with status 1 (the pod restarts as a follower, as with
 * JOSDK's default), but an end of leadership during our own shutdown does not; and a stopping
 * leader hands the Lease back, so that a standby takes over at once instead of after the lease
 * duration (the elector's own release runs asynchronously and loses the race with the JVM's exit).
 */
final class LeaderElection {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

  private final String leaseName;
  private final String namespace;
  private final String identity;
  private final IntConsumer exit;
  private final AtomicBoolean shuttingDown = new AtomicBoolean();

  LeaderElection(String leaseName, String namespace, String identity, IntConsumer exit) {
    this.leaseName = leaseName;
    this.namespace = namespace;
    this.identity = identity;
    this.exit = exit;
  }

  LeaderElectionConfiguration configuration() {
    return new LeaderElectionConfiguration(
        leaseName,
        namespace,
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        identity,
        new LeaderCallbacks(
            () -> LOG.info("leading as {}", identity), this::leadershipEnded, leader -> {}),
        false);
  }

  /** Called first thing in the shutdown hook: from now on, the end of leadership is expected. */
  void shutdownStarted() {
    shuttingDown.set(true);
  }

  /** Returns whether the process exits because of this end of leadership. */
  boolean leadershipEnded() {
    if (shuttingDown.get()) {
      return false;
    }
    LOG.warn("lost the lease to another replica: exiting so that this one restarts as a follower");
    // Not on the elector's thread: exit runs the shutdown hook, which waits for that thread.
    Thread exiting = new Thread(() -> exit.accept(1), "leadership-lost-exit");
    exiting.start();
    return true;
  }

  /**
   * After the controllers stopped: if the Lease still names us, empties it as client-go's release
   * does (no holder, 1 s duration). Returns whether it did. Failures are only logged: the Lease
   * then expires on its own.
   */
  boolean release(KubernetesClient client) {
    try {
      var lease = client.resources(Lease.class).inNamespace(namespace).withName(leaseName);
      Lease current = lease.get();
      if (current == null
          || current.getSpec() == null
          || !identity.equals(current.getSpec().getHolderIdentity())) {
        return false;
      }
      current.getSpec().setHolderIdentity("");
      current.getSpec().setLeaseDurationSeconds(1);
      client.resource(current).update(); // carries the resourceVersion: a newer holder wins
      LOG.info("released the lease {}/{}", namespace, leaseName);
      return true;
    } catch (KubernetesClientException e) {
      LOG.warn("could not release the lease {}/{}: {}", namespace, leaseName, e.getMessage());
      return false;
    }
  }

  /**
   * The identity in the Lease: the pod's name (or the host's) plus a random part, as client-go
   * does, so that two replicas on one host, or a restarted pod, never pass for one another.
   */
  static String identity(Map<String, String> env) {
    String host = env.getOrDefault("POD_NAME", env.getOrDefault("HOSTNAME", ""));
    return (host.isBlank() ? "dask-mpi-operator" : host) + "_" + UUID.randomUUID();
  }
}
