package io.daskmpi.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LeaderElectionTest {
  private final CompletableFuture<Integer> exitStatus = new CompletableFuture<>();
  private final LeaderElection election = new LeaderElection(exitStatus::complete);

  @Test
  void aLeaseLostToAnotherReplicaExitsWithStatus1() throws Exception {
    assertThat(election.leadershipEnded()).isTrue();
    assertThat(exitStatus.get(5, TimeUnit.SECONDS)).isEqualTo(1);
  }

  @Test
  void theLeaseReleasedWhileStoppingDoesNotExitFromTheShutdownHook() {
    election.shutdownStarted();
    assertThat(election.leadershipEnded()).isFalse();
    assertThat(exitStatus).isNotDone();
  }

  @Test
  void josdkNeverExitsByItselfAndTheCallbacksAreOurs() {
    LeaderElectionConfiguration c = election.configuration("lease", "ops", "me_1");
    assertThat(c.isExitOnStopLeading()).isFalse();
    assertThat(c.getLeaseName()).isEqualTo("lease");
    assertThat(c.getLeaseNamespace()).contains("ops");
    assertThat(c.getIdentity()).contains("me_1");
    c.getLeaderCallbacks().orElseThrow().onStopLeading();
    assertThat(exitStatus).succeedsWithin(5, TimeUnit.SECONDS).isEqualTo(1);
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
