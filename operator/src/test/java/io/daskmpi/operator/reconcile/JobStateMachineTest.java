package io.daskmpi.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.JobCondition;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.api.v1alpha1.SlurmJobStatus;
import io.daskmpi.operator.reconcile.Decision.Action;
import io.daskmpi.operator.slurm.ExitStatus;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.JobUpdate;
import io.daskmpi.operator.slurm.SlurmJob;
import io.daskmpi.operator.status.Conditions;
import io.daskmpi.operator.submit.SpecProblem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The state machine as a table: every Slurm state against every phase, and the edge cases. */
class JobStateMachineTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final Instant T1 = T0.plusSeconds(60);

  private static final Set<Phase> ACTIVE =
      EnumSet.of(Phase.Pending, Phase.Submitted, Phase.Queued, Phase.Running, Phase.Suspended);

  static SlurmJob job(JobState state, ExitStatus exit, String... flags) {
    return new SlurmJob(
        42,
        "j",
        "daskmpi.io/ns/j/u",
        state,
        Set.of(flags),
        "None",
        "vm",
        "vm",
        T0,
        T0,
        T1,
        exit,
        "/home/x",
        "/home/x/j-42.out",
        "alice");
  }

  static DaskMpiJobStatus status(Phase phase, Long jobId) {
    DaskMpiJobStatus s = new DaskMpiJobStatus();
    s.setPhase(phase);
    if (jobId != null) {
      SlurmJobStatus slurm = new SlurmJobStatus();
      slurm.setJobId(jobId);
      s.setSlurm(slurm);
    }
    return s;
  }

  static JobStateMachine.Input input(DaskMpiJobStatus current, Observation o) {
    return new JobStateMachine.Input(3L, current, List.of(), o, "default", 8787, T1, false);
  }

  /** Slurm state (with exit) → the phase it maps to, design.md §3. */
  static Stream<Arguments> slurmStates() {
    return Stream.of(
        Arguments.of(JobState.PENDING, null, Phase.Queued),
        Arguments.of(JobState.RUNNING, null, Phase.Running),
        Arguments.of(JobState.SUSPENDED, null, Phase.Suspended),
        Arguments.of(JobState.COMPLETED, ExitStatus.exited(0), Phase.Succeeded),
        Arguments.of(JobState.COMPLETED, ExitStatus.exited(3), Phase.Failed),
        Arguments.of(JobState.FAILED, ExitStatus.exited(7), Phase.Failed),
        Arguments.of(JobState.FAILED, ExitStatus.signaled(9), Phase.Failed),
        Arguments.of(JobState.TIMEOUT, ExitStatus.exited(143), Phase.Failed),
        Arguments.of(JobState.NODE_FAIL, null, Phase.Failed),
        Arguments.of(JobState.PREEMPTED, null, Phase.Failed),
        Arguments.of(JobState.BOOT_FAIL, null, Phase.Failed),
        Arguments.of(JobState.DEADLINE, null, Phase.Failed),
        Arguments.of(JobState.OUT_OF_MEMORY, null, Phase.Failed),
        Arguments.of(JobState.CANCELLED, ExitStatus.signaled(15), Phase.Cancelled));
  }

  static Stream<Arguments> everyStateInEveryActivePhase() {
    List<Arguments> rows = new ArrayList<>();
    slurmStates()
        .forEach(
            row ->
                ACTIVE.forEach(
                    p -> rows.add(Arguments.of(p, row.get()[0], row.get()[1], row.get()[2]))));
    return rows.stream();
  }

  @ParameterizedTest(name = "{0} + Slurm {1} {2} -> {3}")
  @MethodSource("everyStateInEveryActivePhase")
  void slurmStateDecidesThePhase(Phase from, JobState state, ExitStatus exit, Phase expected) {
    Decision d =
        JobStateMachine.decide(input(status(from, 42L), new Observation.Found(job(state, exit))));
    assertThat(d.action()).isEqualTo(Action.NONE);
    assertThat(d.status().getPhase()).isEqualTo(expected);
    assertThat(d.status().getSlurm().getJobId()).isEqualTo(42);
    assertThat(d.status().getObservedGeneration()).isEqualTo(3);
    if (expected.isFinal()) {
      assertThat(d.status().getSlurm().getEndTime()).isEqualTo(T1.toString());
      assertThat(d.status().getDashboardURL()).isNull();
      assertThat(
              condition(d, expected == Phase.Succeeded ? Conditions.SUCCEEDED : Conditions.FAILED)
                  .getStatus())
          .isEqualTo("True");
    }
    assertThat(condition(d, Conditions.READY).getStatus())
        .isEqualTo(expected == Phase.Succeeded ? "True" : "False");
  }

  @ParameterizedTest(name = "final {0} stays whatever Slurm says")
  @EnumSource(
      value = Phase.class,
      names = {"Succeeded", "Failed", "Cancelled", "Unknown"})
  void finalPhasesNeverChangeNorResubmit(Phase phase) {
    for (Observation o :
        List.of(
            new Observation.NotSubmitted(),
            new Observation.Gone(42),
            new Observation.Unreachable("SlurmUnavailable", "down"),
            new Observation.Found(job(JobState.RUNNING, null)))) {
      Decision d = JobStateMachine.decide(input(status(phase, 42L), o));
      assertThat(d.action()).as(o.toString()).isEqualTo(Action.NONE);
      assertThat(d.status().getPhase()).as(o.toString()).isEqualTo(phase);
    }
  }

  @Test
  void nothingSubmittedYetAsksToSubmit() {
    Decision d = JobStateMachine.decide(input(null, new Observation.NotSubmitted()));
    assertThat(d.action()).isEqualTo(Action.SUBMIT);
    assertThat(d.status().getPhase()).isEqualTo(Phase.Pending);
  }

  @Test
  void afterSubmitTheStatusNamesTheJob() {
    var in = input(null, new Observation.NotSubmitted());
    DaskMpiJobStatus s = JobStateMachine.submitted(in, 4242, List.of("held"));
    assertThat(s.getPhase()).isEqualTo(Phase.Submitted);
    assertThat(s.getSlurm().getJobId()).isEqualTo(4242);
    assertThat(s.getSlurm().getCluster()).isEqualTo("default");
    assertThat(s.getMessage()).contains("4242").contains("held");
    assertThat(condition(s.getConditions(), Conditions.SUBMITTED).getStatus()).isEqualTo("True");
  }

  @Test
  void aJobFoundByTagIsAdoptedNotResubmitted() {
    Decision d =
        JobStateMachine.decide(
            input(status(Phase.Pending, null), new Observation.Found(job(JobState.RUNNING, null))));
    assertThat(d.action()).isEqualTo(Action.NONE);
    assertThat(d.status().getSlurm().getJobId()).isEqualTo(42);
    assertThat(d.status().getPhase()).isEqualTo(Phase.Running);
  }

  @ParameterizedTest
  @EnumSource(
      value = Phase.class,
      names = {"Submitted", "Queued", "Running", "Suspended"})
  void aJobThatSlurmForgotIsUnknownNeverSucceeded(Phase phase) {
    for (Observation o : List.of(new Observation.Gone(42), new Observation.NotSubmitted())) {
      Decision d = JobStateMachine.decide(input(status(phase, 42L), o));
      assertThat(d.action()).isEqualTo(Action.NONE);
      assertThat(d.status().getPhase()).isEqualTo(Phase.Unknown);
      assertThat(d.status().getMessage()).contains("no longer knows job 42");
    }
  }

  @ParameterizedTest(name = "Slurm {0}, requeue {1} -> {2}")
  @MethodSource("requeueTable")
  void aNodeFailureOrPreemptionEndsTheJobOnlyWhenSlurmWillNotRerunIt(
      JobState state, boolean requeue, Phase expected) {
    var in =
        new JobStateMachine.Input(
            3L,
            status(Phase.Running, 42L),
            List.of(),
            new Observation.Found(job(state, null)),
            "default",
            8787,
            T1,
            requeue);
    Decision d = JobStateMachine.decide(in);
    assertThat(d.status().getPhase()).isEqualTo(expected);
    assertThat(d.status().getPhase().isFinal()).isEqualTo(!requeue);
  }

  static Stream<Arguments> requeueTable() {
    return Stream.of(
        Arguments.of(JobState.NODE_FAIL, false, Phase.Failed),
        Arguments.of(JobState.NODE_FAIL, true, Phase.Queued),
        Arguments.of(JobState.PREEMPTED, false, Phase.Failed),
        Arguments.of(JobState.PREEMPTED, true, Phase.Queued));
  }

  private static final JobUpdate NO_QUEUE = new JobUpdate(null, null, null, null, null, null);

  /** The controls of a spec: suspend, deadline, retries (NODE_FAIL, BOOT_FAIL, PREEMPTED). */
  static JobControls controls(boolean suspend, Long deadlineSeconds, int backoffLimit) {
    return new JobControls(
        suspend,
        deadlineSeconds == null ? null : Duration.ofSeconds(deadlineSeconds),
        NO_QUEUE,
        "sha256:x",
        backoffLimit,
        Set.of(JobState.NODE_FAIL, JobState.BOOT_FAIL, JobState.PREEMPTED),
        Set.of(75));
  }

  /**
   * Spec controls × what Slurm says → action and phase. The job was submitted at T0 and this
   * reconcile runs at T1 = T0 + 60 s.
   */
  static Stream<Arguments> controlTable() {
    Observation none = new Observation.NotSubmitted();
    Observation pending = new Observation.Found(job(JobState.PENDING, null));
    Observation running = new Observation.Found(job(JobState.RUNNING, null));
    Observation nodeFail = new Observation.Found(job(JobState.NODE_FAIL, null));
    Observation exit75 = new Observation.Found(job(JobState.FAILED, ExitStatus.exited(75)));
    Observation exit1 = new Observation.Found(job(JobState.FAILED, ExitStatus.exited(1)));
    return Stream.of(
        Arguments.of(
            "suspended, never submitted",
            controls(true, null, 0),
            null,
            none,
            Decision.Action.NONE,
            Phase.Suspended),
        Arguments.of(
            "resumed, never submitted",
            controls(false, null, 0),
            null,
            none,
            Decision.Action.SUBMIT,
            Phase.Pending),
        Arguments.of(
            "suspended while queued",
            controls(true, null, 0),
            42L,
            pending,
            Decision.Action.UPDATE,
            Phase.Suspended),
        Arguments.of(
            "suspended while running",
            controls(true, null, 0),
            42L,
            running,
            Decision.Action.NONE,
            Phase.Running),
        Arguments.of(
            "deadline 60 s reached",
            controls(false, 60L, 0),
            42L,
            running,
            Decision.Action.CANCEL,
            Phase.Failed),
        Arguments.of(
            "deadline 61 s not yet",
            controls(false, 61L, 0),
            42L,
            pending,
            Decision.Action.NONE,
            Phase.Queued),
        Arguments.of(
            "NODE_FAIL, 1 retry left",
            controls(false, null, 1),
            42L,
            nodeFail,
            Decision.Action.SUBMIT,
            Phase.Pending),
        Arguments.of(
            "NODE_FAIL, no retries",
            controls(false, null, 0),
            42L,
            nodeFail,
            Decision.Action.NONE,
            Phase.Failed),
        Arguments.of(
            "exit 75 listed",
            controls(false, null, 1),
            42L,
            exit75,
            Decision.Action.SUBMIT,
            Phase.Pending),
        Arguments.of(
            "exit 1 not listed",
            controls(false, null, 1),
            42L,
            exit1,
            Decision.Action.NONE,
            Phase.Failed));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("controlTable")
  void theSpecsControlsDecideTheAction(
      String row,
      JobControls controls,
      Long jobId,
      Observation observation,
      Decision.Action action,
      Phase phase) {
    DaskMpiJobStatus current = status(jobId == null ? Phase.Pending : Phase.Queued, jobId);
    if (jobId != null) {
      current.setSubmitRequestedAt(T0.toString());
      current.setObservedGeneration(3L);
    }
    Decision d =
        JobStateMachine.decide(
            new JobStateMachine.Input(
                3L, current, List.of(), observation, "default", 8787, T1, false, controls));
    assertThat(d.action()).isEqualTo(action);
    assertThat(d.status().getPhase()).isEqualTo(phase);
  }

  @Test
  void aRequeuedJobIsFollowedThroughItsRerun() {
    DaskMpiJobStatus s = status(Phase.Running, 42L);
    for (JobState state :
        List.of(JobState.NODE_FAIL, JobState.PENDING, JobState.RUNNING, JobState.COMPLETED)) {
      var in =
          new JobStateMachine.Input(
              3L,
              s,
              List.of(),
              new Observation.Found(
                  job(state, state == JobState.COMPLETED ? ExitStatus.exited(0) : null)),
              "default",
              8787,
              T1,
              true);
      s = JobStateMachine.decide(in).status();
    }
    assertThat(s.getPhase()).isEqualTo(Phase.Succeeded);
  }

  @ParameterizedTest
  @EnumSource(
      value = Phase.class,
      names = {"Pending", "Submitted", "Queued", "Running", "Suspended"})
  void anEndpointMissingFromTheConfigurationKeepsThePhaseAndSaysSo(Phase phase) {
    Decision d =
        JobStateMachine.decide(
            input(status(phase, 42L), new Observation.EndpointUnknown("default", "hpc")));
    assertThat(d.action()).isEqualTo(Action.NONE);
    assertThat(d.status().getPhase()).isEqualTo(phase);
    JobCondition c = condition(d, Conditions.SLURM_REACHABLE);
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getReason()).isEqualTo("UnknownEndpoint");
  }

  @ParameterizedTest
  @EnumSource(
      value = Phase.class,
      names = {"Pending", "Submitted", "Queued", "Running", "Suspended"})
  void unreachableSlurmKeepsThePhaseAndSaysSo(Phase phase) {
    Decision d =
        JobStateMachine.decide(
            input(
                status(phase, 42L),
                new Observation.Unreachable("SlurmUnavailable", "connection refused")));
    assertThat(d.action()).isEqualTo(Action.NONE);
    assertThat(d.status().getPhase()).isEqualTo(phase);
    JobCondition c = condition(d, Conditions.SLURM_REACHABLE);
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getMessage()).isEqualTo("connection refused");
  }

  @Test
  void invalidSpecFailsWithTheFieldNamedAndSubmitsNothing() {
    var in =
        new JobStateMachine.Input(
            1L,
            null,
            List.of(new SpecProblem("spec.timeLimit", "'soon' is no time limit")),
            new Observation.NotSubmitted(),
            "default",
            8787,
            T1,
            false);
    Decision d = JobStateMachine.decide(in);
    assertThat(d.action()).isEqualTo(Action.NONE);
    assertThat(d.status().getPhase()).isEqualTo(Phase.Failed);
    assertThat(d.status().getMessage()).contains("spec.timeLimit");
    assertThat(condition(d, Conditions.FAILED).getReason()).isEqualTo("InvalidSpec");
  }

  @Test
  void aSpecMadeInvalidAfterSubmissionDoesNotAbandonTheRunningJob() {
    var in =
        new JobStateMachine.Input(
            2L,
            status(Phase.Running, 42L),
            List.of(new SpecProblem("spec.workers", "bad")),
            new Observation.Found(job(JobState.RUNNING, null)),
            "default",
            8787,
            T1,
            false);
    assertThat(JobStateMachine.decide(in).status().getPhase()).isEqualTo(Phase.Running);
  }

  @Test
  void rejectedSubmitFails() {
    DaskMpiJobStatus s =
        JobStateMachine.rejected(
            input(null, new Observation.NotSubmitted()), "Invalid partition name specified [2000]");
    assertThat(s.getPhase()).isEqualTo(Phase.Failed);
    assertThat(s.getMessage()).contains("Invalid partition");
  }

  @Test
  void completingIsStillRunning() {
    Decision d =
        JobStateMachine.decide(
            input(
                status(Phase.Running, 42L),
                new Observation.Found(
                    job(JobState.CANCELLED, ExitStatus.signaled(15), "COMPLETING"))));
    assertThat(d.status().getPhase()).isEqualTo(Phase.Running);
  }

  @Test
  void runningShowsTheDashboardOnTheBatchHostAndExitCodesAreKept() {
    Decision running =
        JobStateMachine.decide(
            input(status(Phase.Queued, 42L), new Observation.Found(job(JobState.RUNNING, null))));
    assertThat(running.status().getDashboardURL()).isEqualTo("http://vm:8787/status");
    Decision failed =
        JobStateMachine.decide(
            input(
                running.status(),
                new Observation.Found(job(JobState.FAILED, ExitStatus.exited(7)))));
    assertThat(failed.status().getSlurm().getExitCode()).isEqualTo(7);
    assertThat(failed.status().getSlurm().getSignal()).isNull();
    assertThat(failed.status().getMessage()).contains("exit 7");
  }

  @Test
  void unchangedConditionsKeepTheirTransitionTime() {
    Decision first =
        JobStateMachine.decide(
            input(status(Phase.Queued, 42L), new Observation.Found(job(JobState.RUNNING, null))));
    var later =
        new JobStateMachine.Input(
            3L,
            first.status(),
            List.of(),
            new Observation.Found(job(JobState.RUNNING, null)),
            "default",
            8787,
            T1.plusSeconds(600),
            false);
    Decision second = JobStateMachine.decide(later);
    assertThat(condition(second, Conditions.RUNNING).getLastTransitionTime())
        .isEqualTo(T1.toString());
    Decision done =
        JobStateMachine.decide(
            new JobStateMachine.Input(
                3L,
                second.status(),
                List.of(),
                new Observation.Found(job(JobState.COMPLETED, ExitStatus.exited(0))),
                "default",
                8787,
                T1.plusSeconds(900),
                false));
    assertThat(condition(done, Conditions.RUNNING).getLastTransitionTime())
        .isEqualTo(T1.plusSeconds(900).toString());
  }

  private static JobCondition condition(Decision d, String type) {
    return condition(d.status().getConditions(), type);
  }

  private static JobCondition condition(List<JobCondition> conditions, String type) {
    return conditions.stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type));
  }
}
