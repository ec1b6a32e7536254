package io.daskmpi.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.testing.MockApiServer;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LeaderElectionTest {
  @RegisterExtension final MockApiServer api = new MockApiServer();
  private KubernetesClient client;

  @BeforeEach
  void connect() {
    client = api.client();
  }

  private final CompletableFuture<Integer> exitStatus = new CompletableFuture<>();
  private final LeaderElection election =
      new LeaderElection("lease", "ops", "me_1", exitStatus::complete);

  @Test
  void aLeaseLostToAnotherReplicaExitsWithStatus1() throws Exception {
    assertThat(election.leadershipEnded()).isTrue();
    assertThat(exitStatus.get(5, TimeUnit.SECONDS)).isEqualTo(1);
  }

  @Test
  void theEndOfLeadershipWhileStoppingDoesNotExitFromTheShutdownHook() {
    election.shutdownStarted();
    assertThat(election.leadershipEnded()).isFalse();
    assertThat(exitStatus).isNotDone();
  }

  @Test
  void josdkNeverExitsByItselfAndTheCallbacksAreOurs() {
    LeaderElectionConfiguration c = election.configuration();
    assertThat(c.isExitOnStopLeading()).isFalse();
    assertThat(c.getLeaseName()).isEqualTo("lease");
    assertThat(c.getLeaseNamespace()).contains("ops");
    assertThat(c.getIdentity()).contains("me_1");
    c.getLeaderCallbacks().orElseThrow().onStopLeading();
    assertThat(exitStatus).succeedsWithin(5, TimeUnit.SECONDS).isEqualTo(1);
  }

  private Lease lease(String holder) {
    return client
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName("lease")
                .withNamespace("ops")
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity(holder)
                .withLeaseDurationSeconds(15)
                .endSpec()
                .build())
        .create();
  }

  private Lease stored() {
    return client.resources(Lease.class).inNamespace("ops").withName("lease").get();
  }

  @Test
  void aStoppingLeaderEmptiesItsLease() {
    lease("me_1");
    assertThat(election.release(client)).isTrue();
    assertThat(stored().getSpec().getHolderIdentity()).isEmpty();
    assertThat(stored().getSpec().getLeaseDurationSeconds()).isEqualTo(1);
  }

  @Test
  void aLeaseHeldBySomeoneElseIsLeftAlone() {
    lease("other_2");
    assertThat(election.release(client)).isFalse();
    assertThat(stored().getSpec().getHolderIdentity()).isEqualTo("other_2");
  }

  @Test
  void noLeaseNothingToRelease() {
    assertThat(election.release(client)).isFalse();
  }

  @Test
  void identitiesNameThePodAndDifferPerProcess() {
    String a = LeaderElection.identity(Map.of("POD_NAME", "op-0", "HOSTNAME", "node"));
    String b = LeaderElection.identity(Map.of("POD_NAME", "op-0"));
    assertThat(a).startsWith("op-0_").isNotEqualTo(b);
    assertThat(LeaderElection.identity(Map.of("HOSTNAME", "node"))).startsWith("node_");
    assertThat(LeaderElection.identity(Map.of())).startsWith("dask-mpi-operator_");
  }
}
