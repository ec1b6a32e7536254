package io.daskmpi.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobSpec;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.JobAttempt;
import io.daskmpi.operator.api.v1alpha1.JobCondition;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.api.v1alpha1.RetryPolicy;
import io.daskmpi.operator.slurm.ExitStatus;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.JobUpdate;
import io.daskmpi.operator.submit.Examples;
import io.daskmpi.operator.submit.JobIdentity;
import io.daskmpi.operator.testing.FakeSlurm;
import io.daskmpi.operator.testing.ManualClock;
import io.daskmpi.operator.testing.TestEndpoints;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Suspend, deadlines and edits while queued, one reconcile at a time against a fake Slurm: what the
 * operator asks of Slurm and what the status says.
 */
class JobLifecycleTest {
  private final FakeSlurm slurm = new FakeSlurm();
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-03T10:00:00Z"));
  private final JobDriver driver =
      new JobDriver(
          new SlurmEndpoints(
              TestEndpoints.config(
                  Duration.ZERO, Duration.ofMinutes(5), TestEndpoints.fake("default")),
              e -> slurm,
              clock),
          clock);
  private final JobIdentity id =
      new JobIdentity("team", "j", "uid-1", Instant.parse("2026-12-03T09:00:00Z"));
  private long generation = 1;
  private DaskMpiJobStatus status;

  private static DaskMpiJobSpec spec() {
    return Examples.load("dask-example-local.yaml").getSpec();
  }

  /** One reconcile of SPEC as the next generation when EDITED, else the same one. */
  private DaskMpiJobStatus reconcile(DaskMpiJobSpec spec, boolean edited) {
    if (edited) {
      generation++;
    }
    status = driver.reconcile(id, generation, spec, status, SubmitIntents.IN_MEMORY);
    return status;
  }

  private long jobId() {
    return status.getSlurm().getJobId();
  }

  private static JobCondition condition(DaskMpiJobStatus s, String type) {
    return s.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type + " in " + s.getConditions()));
  }

  @Test
  void aJobCreatedSuspendedIsNotSubmittedUntilResumed() {
    DaskMpiJobSpec spec = spec();
    spec.setSuspend(true);
    assertThat(reconcile(spec, false).getPhase()).isEqualTo(Phase.Suspended);
    assertThat(reconcile(spec, false).getPhase()).isEqualTo(Phase.Suspended);
    assertThat(slurm.submissions()).isEmpty();
    assertThat(status.getSubmitRequestedAt()).isNull();
    assertThat(condition(status, "Suspended"))
        .extracting(JobCondition::getStatus, JobCondition::getReason)
        .containsExactly("True", "NotSubmitted");

    spec.setSuspend(false);
    assertThat(reconcile(spec, true).getPhase()).isEqualTo(Phase.Submitted);
    assertThat(slurm.submissions()).hasSize(1);
    assertThat(condition(status, "Suspended"))
        .extracting(JobCondition::getStatus, JobCondition::getReason)
        .containsExactly("False", "Resumed");
    assertThat(status.getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void suspendingAQueuedJobHoldsItAndResumingReleasesIt() {
    DaskMpiJobSpec spec = spec();
    reconcile(spec, false);
    assertThat(reconcile(spec, false).getPhase()).isEqualTo(Phase.Queued);

    spec.setSuspend(true);
    assertThat(reconcile(spec, true).getPhase()).isEqualTo(Phase.Suspended);
    assertThat(slurm.updates()).containsExactly(JobUpdate.holding());
    assertThat(slurm.job(jobId()).isHeld()).isTrue();
    assertThat(condition(status, "Suspended").getReason()).isEqualTo("Held");
    assertThat(status.getObservedGeneration()).isEqualTo(2L);
    assertThat(reconcile(spec, false).getPhase()).as("held stays held").isEqualTo(Phase.Suspended);
    assertThat(slurm.updates()).hasSize(1);

    spec.setSuspend(false);
    assertThat(reconcile(spec, true).getPhase()).isEqualTo(Phase.Queued);
    assertThat(slurm.updates()).containsExactly(JobUpdate.holding(), JobUpdate.releasing());
    assertThat(slurm.job(jobId()).isHeld()).isFalse();
    assertThat(condition(status, "Suspended").getStatus()).isEqualTo("False");
  }

  @Test
  void aJobHeldBySomeoneElseIsNotReleasedByTheOperator() {
    DaskMpiJobSpec spec = spec();
    reconcile(spec, false);
    slurm.update(jobId(), JobUpdate.holding()); // scontrol hold by the user
    assertThat(reconcile(spec, false).getPhase()).isEqualTo(Phase.Queued);
    assertThat(status.getMessage()).contains("JobHeldUser");
    assertThat(slurm.updates()).hasSize(1);
  }

  @Test
  void suspendingARunningJobIsRefusedByTheConditionAndTheJobRunsOn() {
    DaskMpiJobSpec spec = spec();
    reconcile(spec, false);
    slurm.set(jobId(), JobState.RUNNING, null);
    spec.setSuspend(true);
    assertThat(reconcile(spec, true).getPhase()).isEqualTo(Phase.Running);
    assertThat(condition(status, "Suspended"))
        .extracting(JobCondition::getStatus, JobCondition::getReason)
        .containsExactly("False", "AlreadyRunning");
    assertThat(condition(status, "Suspended").getMessage()).contains("delete the resource");
    assertThat(slurm.updates()).isEmpty();
  }

  @Test
  void theDeadlineCountsFromTheFirstSubmissionQueueTimeIncluded() {
    DaskMpiJobSpec spec = spec();
    spec.setActiveDeadlineSeconds(60L);
    reconcile(spec, false);
    clock.advance(Duration.ofSeconds(59));
    assertThat(reconcile(spec, false).getPhase()).isEqualTo(Phase.Queued);

    clock.advance(Duration.ofSeconds(1));
    DaskMpiJobStatus s = reconcile(spec, false);
    assertThat(s.getPhase()).isEqualTo(Phase.Failed);
    assertThat(condition(s, "Failed").getReason()).isEqualTo("DeadlineExceeded");
    assertThat(s.getMessage()).contains("spec.activeDeadlineSeconds (60 s");
    assertThat(slurm.job(jobId()).state()).isEqualTo(JobState.CANCELLED);
    assertThat(s.getCompletionTime()).isEqualTo(clock.instant().toString());
    // Final: nothing more is asked of Slurm, and the completion time stays.
    clock.advance(Duration.ofMinutes(1));
    assertThat(reconcile(spec, false).getPhase()).isEqualTo(Phase.Failed);
    assertThat(status.getCompletionTime()).isEqualTo(s.getCompletionTime());
  }

  @Test
  void aDeadlineAddedLaterToARunningJobAlsoCancelsIt() {
    DaskMpiJobSpec spec = spec();
    reconcile(spec, false);
    slurm.set(jobId(), JobState.RUNNING, null);
    clock.advance(Duration.ofMinutes(10));
    spec.setActiveDeadlineSeconds(300L);
    assertThat(reconcile(spec, true).getPhase()).isEqualTo(Phase.Failed);
    assertThat(slurm.job(jobId()).state()).isEqualTo(JobState.CANCELLED);
  }

  @Test
  void queueSettingsEditedWhileQueuedAreAppliedToTheSlurmJob() {
    DaskMpiJobSpec spec = spec();
    reconcile(spec, false);
    spec.setTimeLimit("7");
    spec.getSlurm().setPartition("long");
    reconcile(spec, true);
    assertThat(slurm.updates()).containsExactly(new JobUpdate(null, 7, "long", null, null, null));
    assertThat(slurm.job(jobId()).queue().timeLimitMinutes()).isEqualTo(7);
    assertThat(status.getObservedGeneration()).isEqualTo(2L);
    assertThat(condition(status, "SpecApplied"))
        .extracting(JobCondition::getStatus, JobCondition::getReason)
        .containsExactly("True", "Applied");
    reconcile(spec, false);
    assertThat(slurm.updates()).as("applied once").hasSize(1);
  }

  @Test
  void anEditSlurmRefusesIsReportedAndNotRetriedUntilTheSpecChanges() {
    DaskMpiJobSpec spec = spec();
    reconcile(spec, false);
    slurm.refuseNextUpdate("Invalid partition name specified");
    spec.getSlurm().setPartition("nosuch");
    DaskMpiJobStatus s = reconcile(spec, true);
    assertThat(s.getPhase()).isEqualTo(Phase.Queued);
    assertThat(condition(s, "SpecApplied"))
        .extracting(JobCondition::getStatus, JobCondition::getReason)
        .containsExactly("False", "UpdateRejected");
    assertThat(condition(s, "SpecApplied").getMessage())
        .contains("spec.slurm.partition (nosuch)")
        .contains("Invalid partition name specified");
    assertThat(s.getObservedGeneration()).isEqualTo(1L);
    reconcile(spec, false);
    assertThat(slurm.updates()).hasSize(1);

    spec.getSlurm().setPartition("debug");
    spec.setTimeLimit("9");
    reconcile(spec, true);
    assertThat(slurm.updates()).hasSize(2);
    assertThat(status.getObservedGeneration()).isEqualTo(3L);
  }

  @Test
  void queueSettingsEditedWhileRunningAreReportedNotApplied() {
    DaskMpiJobSpec spec = spec();
    reconcile(spec, false);
    slurm.set(jobId(), JobState.RUNNING, null);
    spec.setTimeLimit("30");
    DaskMpiJobStatus s = reconcile(spec, true);
    assertThat(s.getPhase()).isEqualTo(Phase.Running);
    assertThat(condition(s, "SpecApplied"))
        .extracting(JobCondition::getStatus, JobCondition::getReason)
        .containsExactly("False", "AlreadyRunning");
    assertThat(condition(s, "SpecApplied").getMessage()).contains("spec.timeLimit (30 min)");
    assertThat(slurm.updates()).isEmpty();
  }

  @Test
  void otherEditsAfterTheSubmissionAreReportedAndNothingIsChanged() {
    DaskMpiJobSpec spec = spec();
    reconcile(spec, false);
    spec.setArgs(List.of("--more"));
    spec.setTimeLimit("9");
    DaskMpiJobStatus s = reconcile(spec, true);
    assertThat(condition(s, "SpecApplied").getReason()).isEqualTo("ChangedAfterSubmit");
    assertThat(s.getObservedGeneration()).isEqualTo(1L);
    assertThat(slurm.updates()).isEmpty();
  }

  private DaskMpiJobSpec retried(int backoffLimit, Integer... exitCodes) {
    DaskMpiJobSpec spec = spec();
    spec.setBackoffLimit(backoffLimit);
    RetryPolicy policy = new RetryPolicy();
    policy.setExitCodes(List.of(exitCodes));
    spec.setRetryPolicy(policy);
    return spec;
  }

  @Test
  void aNodeFailureStartsANewAttemptWithItsOwnTagAndTheStatusListsBoth() {
    DaskMpiJobSpec spec = retried(1);
    reconcile(spec, false);
    long first = jobId();
    slurm.set(first, JobState.NODE_FAIL, null);
    DaskMpiJobStatus retry = reconcile(spec, false);
    assertThat(retry.getPhase()).isEqualTo(Phase.Submitted);
    assertThat(retry.getAttempt()).isEqualTo(2);
    assertThat(slurm.submissions()).hasSize(2);
    assertThat(slurm.submissions().get(1).comment()).isEqualTo(id.tag() + "/attempt-2");
    long second = jobId();
    assertThat(second).isNotEqualTo(first);

    slurm.set(second, JobState.COMPLETED, ExitStatus.exited(0));
    DaskMpiJobStatus done = reconcile(spec, false);
    assertThat(done.getPhase()).isEqualTo(Phase.Succeeded);
    assertThat(done.getAttempts())
        .extracting(JobAttempt::getAttempt, JobAttempt::getJobId, JobAttempt::getState)
        .containsExactly(tuple(1, first, "NODE_FAIL"), tuple(2, second, "COMPLETED"));
  }

  @Test
  void aScriptsOwnFailureIsNotRetriedUnlessItsExitCodeIsListed() {
    DaskMpiJobSpec spec = retried(3, 75);
    reconcile(spec, false);
    slurm.set(jobId(), JobState.FAILED, ExitStatus.exited(75));
    assertThat(reconcile(spec, false).getAttempt()).as("75 is listed").isEqualTo(2);
    slurm.set(jobId(), JobState.FAILED, ExitStatus.exited(1));
    DaskMpiJobStatus failed = reconcile(spec, false);
    assertThat(failed.getPhase()).isEqualTo(Phase.Failed);
    assertThat(failed.getMessage()).contains("(attempt 2 of 4)");
    assertThat(slurm.submissions()).hasSize(2);
  }

  @Test
  void retriesStopAtTheBackoffLimitAndACancelIsNeverRetried() {
    DaskMpiJobSpec spec = retried(1);
    reconcile(spec, false);
    slurm.set(jobId(), JobState.BOOT_FAIL, null);
    reconcile(spec, false);
    slurm.set(jobId(), JobState.NODE_FAIL, null);
    assertThat(reconcile(spec, false).getPhase()).isEqualTo(Phase.Failed);
    assertThat(slurm.submissions()).hasSize(2);

    DaskMpiJobSpec other = retried(5);
    status = null;
    reconcile(other, false);
    slurm.set(jobId(), JobState.CANCELLED, null);
    assertThat(reconcile(other, false).getPhase()).isEqualTo(Phase.Cancelled);
    assertThat(slurm.submissions()).hasSize(3);
  }

  @Test
  void aRetrysLostSubmitAnswerIsFoundByTheNewAttemptsTagNotResubmitted() {
    DaskMpiJobSpec spec = retried(1);
    reconcile(spec, false);
    slurm.set(jobId(), JobState.NODE_FAIL, null);
    slurm.loseNextSubmitAnswer(
        new io.daskmpi.operator.slurm.SlurmException.Unavailable("reset", 0, List.of(), null));
    DaskMpiJobStatus lost = reconcile(spec, false);
    assertThat(lost.getAttempt()).isEqualTo(2);
    assertThat(lost.getSlurm()).isNull();
    assertThat(reconcile(spec, false).getPhase()).isEqualTo(Phase.Queued);
    assertThat(slurm.submissions()).hasSize(2);
  }
}
