package io.daskmpi.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daskmpi.operator.testing.LocalKube;
import io.daskmpi.operator.testing.LocalSlurm;
import io.daskmpi.operator.testing.OperatorProcess;
import io.daskmpi.operator.testing.OperatorProcess.Packaging;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two operator replicas with leader election on the real API server (the Lease is the stand-in CRD
 * of {@code dev/local-kube}): one leads; killing it hands over within the lease duration; and
 * SIGTERM stops an operator within 10 s.
 */
class LeaderElectionIT {
  private static final Duration SIGTERM_LIMIT = Duration.ofSeconds(10);
  private static LocalKube kube;
  private static LocalSlurm slurm;

  private final String namespace = "le-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<OperatorProcess> operators = new ArrayList<>();

  @BeforeAll
  static void setUp() {
    kube = LocalKube.of();
    kube.applyCrds();
    LocalSlurm.buildImages();
    slurm = LocalSlurm.of("26.05");
  }

  @AfterEach
  void stopOperators() throws InterruptedException {
    for (OperatorProcess o : operators) {
      o.close();
    }
  }

  private OperatorProcess replica(Packaging packaging) throws Exception {
    OperatorProcess o =
        OperatorProcess.start(
            packaging,
            kube,
            slurm,
            namespace,
            Map.of("DASKMPI_LEADER_ELECTION_NAMESPACE", namespace));
    operators.add(o);
    return o;
  }

  private static boolean leads(OperatorProcess o) {
    return o.output().contains("leading as ");
  }

  private String holder() {
    var r =
        kube.kubectl(
            null,
            "get",
            "leases.coordination.k8s.io",
            "dask-mpi-operator",
            "-n",
            namespace,
            "-o",
            "jsonpath={.spec.holderIdentity}");
    return r.exitCode() == 0 ? r.stdout() : "";
  }

  @Test
  void oneReplicaLeadsAndKillingItHandsOverWithinTheLeaseDuration() throws Exception {
    OperatorProcess a = replica(Packaging.JAR);
    await().atMost(Duration.ofSeconds(60)).until(() -> leads(a));
    OperatorProcess b = replica(Packaging.JAR);
    await().atMost(Duration.ofSeconds(60)).until(() -> b.output().contains("watching DaskMpiJobs"));
    assertThat(leads(b))
        .as("a second replica does not lead while the first holds the lease")
        .isFalse();
    assertThat(holder()).startsWith(a.output().replaceAll("(?s).*leading as (\\S+).*", "$1"));

    long t0 = System.nanoTime();
    a.kill(); // SIGKILL: no release, the lease must expire
    await()
        .atMost(LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE.plusSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> leads(b));
    double failover = (System.nanoTime() - t0) / 1e9;
    // The lease runs out LEASE_DURATION after the dead leader's last renewal; the standby notices
    // at
    // its next try, every RETRY_PERIOD with Fabric8's jitter factor of 1.2.
    Duration bound =
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE.plus(
            LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE.multipliedBy(22).dividedBy(10));
    assertThat(Duration.ofMillis((long) (failover * 1000))).isLessThanOrEqualTo(bound);
    System.out.printf("FIGURE leader-failover-after-sigkill %.1f s%n", failover);
  }

  @Test
  void aLeaderStoppedWithSigtermReleasesTheLeaseAndTheOtherTakesOverAtOnce() throws Exception {
    OperatorProcess a = replica(Packaging.JAR);
    await().atMost(Duration.ofSeconds(60)).until(() -> leads(a));
    OperatorProcess b = replica(Packaging.JAR);
    await().atMost(Duration.ofSeconds(60)).until(() -> b.output().contains("watching DaskMpiJobs"));
    long t0 = System.nanoTime();
    Duration stop = a.terminate(SIGTERM_LIMIT);
    assertThat(a.output()).as("exit " + a.exitValue()).contains("released the lease");
    // Well before the lease duration: the standby's next retry finds the Lease empty.
    await()
        .atMost(LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE.plusSeconds(3))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> leads(b));
    double handover = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "FIGURE sigterm-stop leader %.1f s; handover after sigterm %.1f s%n",
        stop.toMillis() / 1e3, handover);
  }

  @ParameterizedTest(name = "operator as {0}")
  @EnumSource(Packaging.class)
  void sigtermStopsALeadingOperatorWithin10Seconds(Packaging packaging) throws Exception {
    OperatorProcess a = replica(packaging);
    await().atMost(Duration.ofSeconds(90)).until(() -> leads(a));
    Duration stop = a.terminate(SIGTERM_LIMIT);
    assertThat(stop).isLessThan(SIGTERM_LIMIT);
    System.out.printf("FIGURE sigterm-stop %s %.1f s%n", packaging, stop.toMillis() / 1e3);
  }
}
