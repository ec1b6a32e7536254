package io.daskmpi.operator.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.chaos.ChaosVerdict.Outcome;
import io.daskmpi.operator.slurm.ExitStatus;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.SlurmJob;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChaosVerdictTest {
  private static SlurmJob job(long id, JobState state, ExitStatus exit) {
    Instant t = Instant.parse("2026-12-01T00:00:00Z");
    return new SlurmJob(
        id, "n", "t", state, Set.of(), "", "", "", t, t, t, exit, "/w", "/w/o", "u");
  }

  private static ChaosVerdict judge(Outcome o, SlurmJob... jobs) {
    return ChaosVerdict.judge(List.of(o), Map.of("t", List.of(jobs)));
  }

  @Test
  void aFinalPhaseThatMatchesSlurmIsClean() {
    var ok =
        judge(
            new Outcome("t", false, true, Phase.Succeeded, 1L),
            job(1, JobState.COMPLETED, ExitStatus.exited(0)));
    var failed =
        judge(
            new Outcome("t", false, true, Phase.Failed, 1L),
            job(1, JobState.COMPLETED, ExitStatus.exited(3)));
    var cancelled =
        judge(
            new Outcome("t", false, true, Phase.Cancelled, 1L),
            job(1, JobState.CANCELLED, ExitStatus.signaled(9)));
    assertThat(List.of(ok, failed, cancelled)).allMatch(ChaosVerdict::clean);
  }

  @Test
  void eachFaultIsCountedUnderItsName() {
    assertThat(
            judge(
                    new Outcome("t", false, true, Phase.Succeeded, 2L),
                    job(1, JobState.COMPLETED, ExitStatus.exited(0)),
                    job(2, JobState.COMPLETED, ExitStatus.exited(0)))
                .duplicates())
        .isEqualTo(1);
    assertThat(
            judge(new Outcome("t", true, false, null, 1L), job(1, JobState.RUNNING, null))
                .orphans())
        .isEqualTo(1);
    assertThat(
            judge(
                    new Outcome("t", true, true, Phase.Running, 1L),
                    job(1, JobState.CANCELLED, ExitStatus.signaled(9)))
                .stuck())
        .isEqualTo(1);
    assertThat(
            judge(new Outcome("t", false, true, Phase.Running, 1L), job(1, JobState.RUNNING, null))
                .stuck())
        .isEqualTo(1);
    assertThat(
            judge(
                    new Outcome("t", false, true, Phase.Succeeded, 1L),
                    job(1, JobState.COMPLETED, ExitStatus.exited(3)))
                .wrongPhase())
        .isEqualTo(1);
    assertThat(
            judge(
                    new Outcome("t", false, true, Phase.Unknown, 1L),
                    job(1, JobState.COMPLETED, ExitStatus.exited(0)))
                .wrongPhase())
        .isEqualTo(1);
    assertThat(
            judge(
                    new Outcome("t", false, true, Phase.Succeeded, 7L),
                    job(1, JobState.COMPLETED, ExitStatus.exited(0)))
                .wrongPhase())
        .isEqualTo(1);
    assertThat(judge(new Outcome("t", false, true, Phase.Failed, null)).wrongPhase()).isEqualTo(1);
  }

  @Test
  void aDeletedResourceWhoseJobEndedOrNeverExistedIsClean() {
    assertThat(judge(new Outcome("t", true, false, null, null)).clean()).isTrue();
    assertThat(
            judge(
                    new Outcome("t", true, false, Phase.Running, 1L),
                    job(1, JobState.COMPLETED, ExitStatus.exited(0)))
                .clean())
        .isTrue();
  }

  @Test
  void theSummaryLineHasTheAgreedFormat() {
    var v = ChaosVerdict.judge(List.of(new Outcome("t", false, true, Phase.Running, 1L)), Map.of());
    assertThat(v.summary(50, 6))
        .isEqualTo(
            "chaos: kills=50 restarts=6 resources=1 duplicates=0 orphans=0 wrong_phase=0 stuck=1");
  }
}
