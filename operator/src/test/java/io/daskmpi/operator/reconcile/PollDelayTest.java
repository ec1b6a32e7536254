package io.daskmpi.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.SlurmJobStatus;
import io.daskmpi.operator.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PollDelayTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final Duration POLL = Duration.ofSeconds(10);
  private static final Duration FOLLOWED = Duration.ofSeconds(150);

  @ParameterizedTest(name = "reachable {0}, unreachable for {1} s -> {2} s")
  @CsvSource({
    "true, 0, 10",
    "true, 600, 10",
    "false, 0, 10",
    "false, 5, 10",
    "false, 40, 40",
    "false, 120, 120",
    "false, 3600, 300"
  })
  void backsOffWhileSlurmIsUnreachable(boolean reachable, long downSeconds, long expectedSeconds) {
    DaskMpiJobStatus status = new DaskMpiJobStatus();
    Instant since = NOW.minusSeconds(downSeconds);
    status.setConditions(
        new Conditions(List.of(), since, 1L)
            .set(Conditions.SLURM_REACHABLE, reachable, "x", "")
            .list());
    assertThat(PollDelay.next(status, POLL, FOLLOWED, NOW))
        .isEqualTo(Duration.ofSeconds(expectedSeconds));
  }

  @ParameterizedTest(name = "state seen {0}, reachable {1} -> {2} s")
  @CsvSource({
    "false, true, 10", // submitted, not seen yet: not followed, look again soon
    "true, true, 150", // followed: a change wakes it, this is the backstop
    "true, false, 10" // Slurm away: back off from the poll interval, not from the backstop
  })
  void aFollowedJobWaitsForTheBackstop(boolean seen, boolean reachable, long expectedSeconds) {
    DaskMpiJobStatus status = new DaskMpiJobStatus();
    SlurmJobStatus slurm = new SlurmJobStatus();
    slurm.setJobId(42L);
    slurm.setState(seen ? "PENDING" : null);
    status.setSlurm(slurm);
    status.setConditions(
        new Conditions(List.of(), NOW, 1L)
            .set(Conditions.SLURM_REACHABLE, reachable, "x", "")
            .list());
    assertThat(PollDelay.next(status, POLL, FOLLOWED, NOW))
        .isEqualTo(Duration.ofSeconds(expectedSeconds));
  }

  @Test
  void aNewResourceIsLookedAtAfterThePollInterval() {
    assertThat(PollDelay.next(null, POLL, FOLLOWED, NOW)).isEqualTo(POLL);
  }
}
