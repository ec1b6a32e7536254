package io.daskmpi.operator.reconcile;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.SlurmJob;
import io.daskmpi.operator.submit.SpecProblem;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The pure heart of the reconciler: from what is known (status, spec problems, the Slurm
 * observation, the time) to what to do and the status to write. No I/O, no clock.
 *
 * <pre>
 *   Pending ──submit──▶ Submitted ──▶ Queued ◀──▶ Running ◀──▶ Suspended
 *      │                    │            │           │
 *      │ invalid spec /     └────────────┴─────┬─────┘
 *      │ rejected submit                       ▼
 *      └──────────────▶ Failed     Succeeded | Failed | Cancelled   (from the Slurm state)
 *                                  Unknown   (slurmctld forgot the job before its end was seen)
 * </pre>
 *
 * A final phase never changes and never leads to another submission: a GitOps tool that re-applies
 * a finished resource must not re-run it. Slurm being unreachable never changes the phase; it shows
 * in the {@code SlurmReachable} condition.
 */
public final class JobStateMachine {
  private JobStateMachine() {}

  /**
   * What one reconcile knows.
   *
   * @param generation the resource's {@code metadata.generation}
   * @param current the status as last written (may be null)
   * @param specProblems what is wrong with the spec (empty when valid)
   * @param observation what Slurm says
   * @param cluster the Slurm endpoint's name
   * @param dashboardPort the dashboard port from the spec
   * @param now the time of this reconcile
   * @param requeue whether the job was submitted requeueable (spec.slurm.requeue)
   * @param controls suspend, deadline and the queue settings the spec asks for
   */
  public record Input(
      Long generation,
      DaskMpiJobStatus current,
      List<SpecProblem> specProblems,
      Observation observation,
      String cluster,
      int dashboardPort,
      Instant now,
      boolean requeue,
      JobControls controls) {

    /** Without controls: not suspended, no deadline, nothing to change in the queue. */
    public Input(
        Long generation,
        DaskMpiJobStatus current,
        List<SpecProblem> specProblems,
        Observation observation,
        String cluster,
        int dashboardPort,
        Instant now,
        boolean requeue) {
      this(
          generation,
          current,
          specProblems,
          observation,
          cluster,
          dashboardPort,
          now,
          requeue,
          JobControls.NONE);
    }

    Input with(DaskMpiJobStatus status) {
      return new Input(
          generation,
          status,
          specProblems,
          observation,
          cluster,
          dashboardPort,
          now,
          requeue,
          controls);
    }

    Input with(Observation o) {
      return new Input(
          generation, current, specProblems, o, cluster, dashboardPort, now, requeue, controls);
    }
  }

  public static Decision decide(Input in) {
    DaskMpiJobStatus old = in.current() == null ? new DaskMpiJobStatus() : in.current();
    Phase phase = old.getPhase() == null ? Phase.Pending : old.getPhase();
    StatusBuilder next = new StatusBuilder(old, in);

    if (phase.isFinal()) {
      return new Decision(Decision.Action.NONE, next.build(phase, old.getMessage()));
    }
    if (!in.specProblems().isEmpty()
        && !hasJob(old)
        && !(in.observation() instanceof Observation.Found)) {
      String message =
          "invalid spec: "
              + in.specProblems().stream()
                  .map(SpecProblem::toString)
                  .collect(Collectors.joining("; "));
      return new Decision(
          Decision.Action.NONE, next.failed("InvalidSpec", message).build(Phase.Failed, message));
    }

    Observation o = in.observation();
    if (o instanceof Observation.EndpointUnknown u) {
      String message =
          "no Slurm endpoint named '"
              + u.cluster()
              + "' in the operator's configuration (configured: "
              + u.configured()
              + "); waiting for it";
      return new Decision(
          Decision.Action.NONE,
          next.unreachable("UnknownEndpoint", message)
              .build(phase, phase == Phase.Pending ? message : old.getMessage()));
    }
    if (o instanceof Observation.Unreachable u) {
      return new Decision(
          Decision.Action.NONE,
          next.unreachable(u.reason(), u.message()).build(phase, old.getMessage()));
    }
    next.reachable();
    if (o instanceof Observation.NotSubmitted) {
      if (hasJob(old)) {
        // The status names a job but the observer found none: it is gone, not unsubmitted.
        return gone(next, old.getSlurm().getJobId());
      }
      if (in.controls().suspend()) {
        String message = "spec.suspend is true: not submitted until it is false";
        return new Decision(
            Decision.Action.NONE,
            next.suspended(true, NOT_SUBMITTED, message).build(Phase.Suspended, message));
      }
      // The intent goes into the status before Slurm is asked: a status found later with the intent
      // and without a job id is the one case that needs a lookup by tag.
      return new Decision(
          Decision.Action.SUBMIT,
          next.submitIntended().resumed().build(Phase.Pending, "submitting to Slurm"));
    }
    if (o instanceof Observation.Gone g) {
      return gone(next, g.jobId());
    }
    SlurmJob job = ((Observation.Found) o).job();
    next.job(job);
    JobControls controls = in.controls();
    Instant deadline = Deadline.of(old, job.submitTime(), controls.activeDeadline()).orElse(null);
    if (deadline != null && !job.isFinished() && !in.now().isBefore(deadline)) {
      String message =
          "spec.activeDeadlineSeconds ("
              + controls.activeDeadline().toSeconds()
              + " s from the first submission) passed at "
              + deadline
              + ": Slurm job "
              + job.id()
              + " was cancelled";
      return new Decision(
          Decision.Action.CANCEL,
          next.failed(DEADLINE_EXCEEDED, message).build(Phase.Failed, message));
    }
    Phase observed = phaseOf(job, phase, in.requeue());
    if (observed.isFinal()) {
      int attempt = old.currentAttempt();
      if (observed == Phase.Failed && controls.retries(job, attempt)) {
        String message =
            "attempt "
                + attempt
                + " (Slurm job "
                + job.id()
                + ") ended "
                + outcome(job)
                + "; submitting attempt "
                + (attempt + 1)
                + " of "
                + (controls.backoffLimit() + 1);
        return new Decision(
            Decision.Action.SUBMIT, next.retry(attempt + 1).build(Phase.Pending, message));
      }
      String message = messageOf(job, observed);
      if (attempt > 1) {
        message += " (attempt " + attempt + " of " + (controls.backoffLimit() + 1) + ")";
      }
      return new Decision(
          Decision.Action.NONE, next.forPhase(observed, job).build(observed, message));
    }
    return job.state() == JobState.PENDING
        ? QueueControl.waiting(in, old, next, job, observed)
        : QueueControl.started(in, old, next, job, observed);
  }

  /** The status right after Slurm accepted the job. */
  public static DaskMpiJobStatus submitted(Input in, long jobId, List<String> warnings) {
    StatusBuilder next =
        new StatusBuilder(in.current() == null ? new DaskMpiJobStatus() : in.current(), in);
    next.reachable().submittedAs(jobId);
    String message =
        "submitted as Slurm job "
            + jobId
            + (warnings.isEmpty() ? "" : " (" + String.join("; ", warnings) + ")");
    return next.build(Phase.Submitted, message);
  }

  /** The status when Slurm refused the job for good (bad partition, bad account, ...). */
  public static DaskMpiJobStatus rejected(Input in, String reason) {
    StatusBuilder next =
        new StatusBuilder(in.current() == null ? new DaskMpiJobStatus() : in.current(), in);
    String message = "Slurm rejected the job: " + reason;
    return next.reachable().failed("SubmitRejected", message).build(Phase.Failed, message);
  }

  /**
   * The Slurm state → phase table of design.md §3. COMPLETED is success by Slurm's own definition
   * (every process exited 0), with or without an exit code in the answer.
   */
  static Phase phaseOf(SlurmJob job, Phase current, boolean requeue) {
    if (!job.isFinished() && job.state().isTerminal()) {
      return Phase.Running; // still COMPLETING: the end is not final until Slurm says so
    }
    if (requeue && (job.state() == JobState.NODE_FAIL || job.state() == JobState.PREEMPTED)) {
      return Phase.Queued; // a requeueable job goes back to PENDING: follow its rerun
    }
    return switch (job.state()) {
      case PENDING -> Phase.Queued;
      case RUNNING -> Phase.Running;
      case SUSPENDED -> Phase.Suspended;
      case COMPLETED ->
          job.exit() == null || job.exit().isSuccess() ? Phase.Succeeded : Phase.Failed;
      case CANCELLED -> Phase.Cancelled;
      case FAILED, TIMEOUT, NODE_FAIL, PREEMPTED, BOOT_FAIL, DEADLINE, OUT_OF_MEMORY ->
          Phase.Failed;
      case UNKNOWN -> current == Phase.Pending ? Phase.Submitted : current;
    };
  }

  static String messageOf(SlurmJob job, Phase phase) {
    return switch (phase) {
      case Queued ->
          job.state() == JobState.NODE_FAIL || job.state() == JobState.PREEMPTED
              ? "requeued by Slurm after " + job.state() + "; waiting for the rerun"
              : "waiting in the Slurm queue"
                  + (job.reason().isEmpty() || job.reason().equals("None")
                      ? ""
                      : " (" + job.reason() + ")");
      case Running -> "running on " + (job.nodes().isEmpty() ? "its nodes" : job.nodes());
      case Suspended -> "suspended in Slurm";
      case Succeeded -> "the client script exited 0";
      case Failed -> failureMessage(job);
      case Cancelled -> "the Slurm job was cancelled";
      default -> "Slurm reports state " + job.state();
    };
  }

  private static String failureMessage(SlurmJob job) {
    String how = job.exit() == null ? "" : " (" + job.exit() + ")";
    return switch (job.state()) {
      case TIMEOUT -> "the job hit its time limit" + how;
      case OUT_OF_MEMORY -> "the job ran out of memory" + how;
      case NODE_FAIL -> "a node of the job failed" + how;
      default -> "the job failed: Slurm state " + job.state() + ", reason " + job.reason() + how;
    };
  }

  static final String DEADLINE_EXCEEDED = "DeadlineExceeded";
  static final String NOT_SUBMITTED = "NotSubmitted";
  static final String RESUMED = "Resumed";

  /** How a job ended, in words: its state, and the exit code or signal. */
  private static String outcome(SlurmJob job) {
    return job.state() + (job.exit() == null ? "" : " (" + job.exit() + ")");
  }

  private static Decision gone(StatusBuilder next, long jobId) {
    String message =
        "Slurm no longer knows job "
            + jobId
            + " and its end was never observed: slurmctld forgot it (MinJobAge) and slurmdbd, if the"
            + " endpoint has one, holds no record of it with this resource's tag";
    return new Decision(
        Decision.Action.NONE, next.failed("SlurmJobLost", message).build(Phase.Unknown, message));
  }

  static boolean hasJob(DaskMpiJobStatus status) {
    return status.getSlurm() != null && status.getSlurm().getJobId() != null;
  }
}
