package io.daskmpi.operator.reconcile;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.JobAttempt;
import io.daskmpi.operator.api.v1alpha1.JobCondition;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.api.v1alpha1.SlurmJobStatus;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.JobUpdate;
import io.daskmpi.operator.slurm.SlurmException;
import io.daskmpi.operator.slurm.SlurmJob;
import io.daskmpi.operator.status.Conditions;
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
    Instant deadline = deadline(old, job, controls);
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
        ? waiting(in, old, next, job, observed)
        : started(in, old, next, job, observed);
  }

  /**
   * A job in Slurm's queue: held while spec.suspend says so, released when it no longer does, and
   * given the queue settings of a spec edited since the submission.
   */
  private static Decision waiting(
      Input in, DaskMpiJobStatus old, StatusBuilder next, SlurmJob job, Phase observed) {
    JobControls controls = in.controls();
    boolean heldByUs = heldByOperator(old);
    Boolean hold = null;
    if (controls.suspend() && !job.isHeld()) {
      hold = true;
    } else if (!controls.suspend() && job.isHeld() && heldByUs) {
      hold = false;
    }
    SpecEdit edit = specEdit(in, old);
    JobUpdate edits =
        edit == SpecEdit.CHANGEABLE && !rejectedBefore(old, in.generation())
            ? controls.editsFor(job.queue())
            : new JobUpdate(null, null, null, null, null, null);
    JobUpdate update =
        new JobUpdate(
            hold,
            edits.timeLimitMinutes(),
            edits.partition(),
            edits.account(),
            edits.qos(),
            edits.reservation());
    boolean suspended = controls.suspend() && (job.isHeld() || Boolean.TRUE.equals(hold));
    if (suspended) {
      next.suspended(true, HELD, "held in Slurm's queue (spec.suspend)");
    } else if (heldByUs || hasSuspendedCondition(old)) {
      next.resumed();
    }
    Phase phase = suspended ? Phase.Suspended : observed;
    String message =
        suspended ? "held in Slurm's queue while spec.suspend is true" : messageOf(job, observed);
    if (edit == SpecEdit.CHANGEABLE && !rejectedBefore(old, in.generation())) {
      next.applied(edits.isEmpty() ? "nothing to change in Slurm" : describe(edits));
    } else if (edit == SpecEdit.FIXED) {
      next.changedAfterSubmit();
    }
    next.forPhase(phase, job);
    DaskMpiJobStatus status = next.build(phase, message);
    return update.isEmpty()
        ? new Decision(Decision.Action.NONE, status)
        : new Decision(Decision.Action.UPDATE, status, update);
  }

  /** A job that started: suspend and queue settings no longer apply; the conditions say so. */
  private static Decision started(
      Input in, DaskMpiJobStatus old, StatusBuilder next, SlurmJob job, Phase observed) {
    JobControls controls = in.controls();
    if (controls.suspend()) {
      next.suspended(
          false,
          ALREADY_RUNNING,
          "spec.suspend came after the Slurm job started: it runs on (slurmrestd cannot requeue"
              + " and hold a running job); delete the resource to stop it");
    } else if (hasSuspendedCondition(old)) {
      next.resumed();
    }
    SpecEdit edit = specEdit(in, old);
    if (edit == SpecEdit.CHANGEABLE) {
      JobUpdate edits = controls.editsFor(job.queue());
      if (edits.isEmpty()) {
        next.applied("nothing to change in Slurm");
      } else {
        next.notApplied(
            ALREADY_RUNNING,
            describe(edits)
                + " not applied: the Slurm job already runs, and these change only"
                + " while it waits");
      }
    } else if (edit == SpecEdit.FIXED) {
      next.changedAfterSubmit();
    }
    return new Decision(
        Decision.Action.NONE,
        next.forPhase(observed, job).build(observed, messageOf(job, observed)));
  }

  /**
   * The status after Slurm did not take an update or a cancel. A refused update is reported and not
   * tried again until the spec changes (the condition keeps the generation it judged); anything
   * else leaves the outcome open, to be tried at the next reconcile.
   */
  public static DaskMpiJobStatus notTaken(Input in, Decision decision, SlurmException e) {
    if (decision.action() != Decision.Action.UPDATE || !(e instanceof SlurmException.Rejected)) {
      return decide(in.with(Observation.Unreachable.of(e))).status();
    }
    DaskMpiJobStatus old = in.current() == null ? new DaskMpiJobStatus() : in.current();
    DaskMpiJobStatus s = decision.status();
    s.setObservedGeneration(old.getObservedGeneration());
    Conditions conditions =
        new Conditions(s.getConditions(), in.now(), old.getObservedGeneration());
    String refusal = "Slurm refused " + describe(decision.update()) + ": " + e.getMessage();
    conditions.set(Conditions.SPEC_APPLIED, false, UPDATE_REJECTED, refusal, in.generation());
    if (Boolean.TRUE.equals(decision.update().hold())) {
      conditions.set(Conditions.SUSPENDED, false, UPDATE_REJECTED, refusal);
      s.setPhase(Phase.Queued);
      s.setMessage("waiting in the Slurm queue; " + refusal);
    }
    s.setConditions(conditions.list());
    return s;
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

  private static String messageOf(SlurmJob job, Phase phase) {
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
  static final String HELD = "Held";
  static final String RESUMED = "Resumed";
  static final String ALREADY_RUNNING = "AlreadyRunning";
  static final String UPDATE_REJECTED = "UpdateRejected";

  /** How the spec differs from the one the Slurm job was made from. */
  private enum SpecEdit {
    /** Not edited since the submission. */
    NONE,
    /** Only fields that may change while the job waits. */
    CHANGEABLE,
    /** Something the Slurm job cannot take (or unknown: a status without a digest). */
    FIXED
  }

  private static SpecEdit specEdit(Input in, DaskMpiJobStatus old) {
    if (in.generation() == null
        || old.getObservedGeneration() == null
        || in.generation().equals(old.getObservedGeneration())) {
      return SpecEdit.NONE;
    }
    return old.getFixedSpecDigest() != null
            && old.getFixedSpecDigest().equals(in.controls().fixedDigest())
        ? SpecEdit.CHANGEABLE
        : SpecEdit.FIXED;
  }

  /** Slurm refused the edits of this very generation already. */
  private static boolean rejectedBefore(DaskMpiJobStatus old, Long generation) {
    return condition(old, Conditions.SPEC_APPLIED)
        .filter(c -> UPDATE_REJECTED.equals(c.getReason()))
        .filter(c -> generation != null && generation.equals(c.getObservedGeneration()))
        .isPresent();
  }

  private static boolean heldByOperator(DaskMpiJobStatus old) {
    return condition(old, Conditions.SUSPENDED)
        .filter(c -> "True".equals(c.getStatus()) && HELD.equals(c.getReason()))
        .isPresent();
  }

  private static boolean hasSuspendedCondition(DaskMpiJobStatus old) {
    return condition(old, Conditions.SUSPENDED)
        .filter(c -> "True".equals(c.getStatus()))
        .isPresent();
  }

  private static java.util.Optional<JobCondition> condition(DaskMpiJobStatus s, String type) {
    return s.getConditions() == null
        ? java.util.Optional.empty()
        : s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /**
   * When the deadline falls: spec.activeDeadlineSeconds after the first submission (of the first
   * attempt: the intent, else Slurm's submit time), or null without one.
   */
  private static Instant deadline(DaskMpiJobStatus old, SlurmJob job, JobControls controls) {
    if (controls.activeDeadline() == null) {
      return null;
    }
    List<JobAttempt> attempts = old.getAttempts() == null ? List.of() : old.getAttempts();
    Instant first;
    if (!attempts.isEmpty()
        && attempts.get(0).getSubmitTime() != null
        && old.currentAttempt() > 1) {
      first = Instant.parse(attempts.get(0).getSubmitTime());
    } else if (old.getSubmitRequestedAt() != null) {
      first = Instant.parse(old.getSubmitRequestedAt());
    } else {
      first = job.submitTime();
    }
    return first == null ? null : first.plus(controls.activeDeadline());
  }

  /** How a job ended, in words: its state, and the exit code or signal. */
  private static String outcome(SlurmJob job) {
    return job.state() + (job.exit() == null ? "" : " (" + job.exit() + ")");
  }

  /** An update in words, e.g. "spec.timeLimit (10 min), spec.slurm.partition (long)". */
  static String describe(JobUpdate u) {
    List<String> parts = new java.util.ArrayList<>();
    if (u.hold() != null) {
      parts.add(u.hold() ? "the hold" : "the release");
    }
    if (u.timeLimitMinutes() != null) {
      parts.add("spec.timeLimit (" + u.timeLimitMinutes() + " min)");
    }
    if (u.partition() != null) {
      parts.add("spec.slurm.partition (" + u.partition() + ")");
    }
    if (u.account() != null) {
      parts.add("spec.slurm.account (" + u.account() + ")");
    }
    if (u.qos() != null) {
      parts.add("spec.slurm.qos (" + u.qos() + ")");
    }
    if (u.reservation() != null) {
      parts.add("spec.slurm.reservation (" + u.reservation() + ")");
    }
    return String.join(", ", parts);
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

  private static boolean hasJob(DaskMpiJobStatus status) {
    return status.getSlurm() != null && status.getSlurm().getJobId() != null;
  }

  /** Builds the next status from the old one; one instance per decision. */
  private static final class StatusBuilder {
    private final Input in;
    private final Conditions conditions;
    private SlurmJobStatus slurm;
    private String dashboardUrl;
    private String submitRequestedAt;

    private Long observedGeneration;
    private String fixedSpecDigest;
    private Integer attempt;
    private final List<JobAttempt> attempts;
    private final String completionTime;

    StatusBuilder(DaskMpiJobStatus old, Input in) {
      this.in = in;
      this.observedGeneration = observedGeneration(old, in.generation());
      this.conditions = new Conditions(old.getConditions(), in.now(), observedGeneration);
      this.slurm = old.getSlurm();
      this.dashboardUrl = old.getDashboardURL();
      this.submitRequestedAt = old.getSubmitRequestedAt();
      this.fixedSpecDigest = old.getFixedSpecDigest();
      this.attempt = old.getAttempt();
      this.completionTime = old.getCompletionTime();
      this.attempts =
          new java.util.ArrayList<>(old.getAttempts() == null ? List.of() : old.getAttempts());
    }

    /**
     * The previous attempt ended in a retryable way: the next one starts with its own intent to
     * submit (so its tag is looked up, not the previous one's, if the answer is lost).
     */
    StatusBuilder retry(int next) {
      attempt = next;
      slurm = null;
      dashboardUrl = null;
      submitRequestedAt = in.now().toString();
      fixedSpecDigest = in.controls().fixedDigest();
      conditions.set(Conditions.RUNNING, false, "Retrying", "attempt " + next);
      return this;
    }

    StatusBuilder changedAfterSubmit() {
      conditions.set(
          Conditions.SPEC_APPLIED,
          false,
          "ChangedAfterSubmit",
          "the spec changed (generation "
              + in.generation()
              + ") after the Slurm job was submitted with generation "
              + observedGeneration
              + ", in a field other than "
              + String.join(", ", SubmittedSpec.CHANGEABLE)
              + "; a submitted Slurm job keeps the rest of its spec: delete and re-create the"
              + " resource to run the new one",
          in.generation());
      return this;
    }

    /** The newest spec is the one the Slurm job has now: it becomes the observed generation. */
    StatusBuilder applied(String what) {
      observedGeneration = in.generation();
      conditions.set(Conditions.SPEC_APPLIED, true, "Applied", what, in.generation());
      return this;
    }

    StatusBuilder notApplied(String reason, String message) {
      conditions.set(Conditions.SPEC_APPLIED, false, reason, message, in.generation());
      return this;
    }

    StatusBuilder suspended(boolean value, String reason, String message) {
      conditions.set(Conditions.SUSPENDED, value, reason, message);
      return this;
    }

    /** Not (or no longer) suspended by spec.suspend; no condition where there never was one. */
    StatusBuilder resumed() {
      if (conditions.get(Conditions.SUSPENDED).isPresent()) {
        conditions.set(Conditions.SUSPENDED, false, RESUMED, "spec.suspend is false");
      }
      return this;
    }

    /**
     * Once a Slurm job exists, the generation it was submitted with stays the observed one: later
     * edits are not applied to it, and claiming them observed would tell kstatus and Argo CD that
     * the new spec runs.
     */
    private static Long observedGeneration(DaskMpiJobStatus old, Long generation) {
      return hasJob(old) && old.getObservedGeneration() != null
          ? old.getObservedGeneration()
          : generation;
    }

    StatusBuilder submitIntended() {
      if (submitRequestedAt == null) {
        submitRequestedAt = in.now().toString();
      }
      if (attempt == null) {
        attempt = 1;
      }
      fixedSpecDigest = in.controls().fixedDigest();
      return this;
    }

    StatusBuilder reachable() {
      conditions.set(Conditions.SLURM_REACHABLE, true, "Reachable", "slurmrestd answered");
      return this;
    }

    StatusBuilder unreachable(String reason, String message) {
      conditions.set(Conditions.SLURM_REACHABLE, false, reason, message);
      return this;
    }

    StatusBuilder submittedAs(long jobId) {
      slurm = new SlurmJobStatus();
      slurm.setCluster(in.cluster());
      slurm.setJobId(jobId);
      conditions.set(Conditions.SUBMITTED, true, "Submitted", "Slurm job " + jobId);
      recordAttempt(slurm);
      return this;
    }

    StatusBuilder job(SlurmJob job) {
      SlurmJobStatus s = new SlurmJobStatus();
      s.setCluster(in.cluster());
      s.setJobId(job.id());
      s.setState(job.state() + (job.flags().isEmpty() ? "" : "+" + String.join("+", job.flags())));
      s.setReason(job.reason());
      s.setNodes(job.nodes());
      s.setBatchHost(job.batchHost());
      s.setSubmitTime(job.submitTime() == null ? null : job.submitTime().toString());
      s.setStartTime(job.startTime() == null ? null : job.startTime().toString());
      s.setEndTime(job.endTime() == null ? null : job.endTime().toString());
      if (job.exit() != null) {
        s.setExitCode(job.exit().code());
        s.setSignal(job.exit().signal());
      }
      s.setOutputFile(job.standardOutput().isEmpty() ? null : job.standardOutput());
      slurm = s;
      conditions.set(Conditions.SUBMITTED, true, "Submitted", "Slurm job " + job.id());
      recordAttempt(s);
      return this;
    }

    /** The current attempt's entry in status.attempts, as its Slurm job was last seen. */
    private void recordAttempt(SlurmJobStatus s) {
      int n = attempt == null ? 1 : attempt;
      JobAttempt a = new JobAttempt();
      a.setAttempt(n);
      a.setJobId(s.getJobId());
      a.setState(s.getState());
      a.setExitCode(s.getExitCode());
      a.setSubmitTime(s.getSubmitTime());
      a.setStartTime(s.getStartTime());
      a.setEndTime(s.getEndTime());
      attempts.removeIf(e -> e.getAttempt() != null && e.getAttempt() == n);
      attempts.add(a);
      attempts.sort(java.util.Comparator.comparing(JobAttempt::getAttempt));
    }

    StatusBuilder forPhase(Phase phase, SlurmJob job) {
      boolean running = phase == Phase.Running;
      conditions.set(
          Conditions.RUNNING,
          running,
          running ? "Running" : phase.name(),
          running ? "on " + job.nodes() : "");
      dashboardUrl =
          running && !job.batchHost().isEmpty() && in.dashboardPort() > 0
              ? "http://" + job.batchHost() + ":" + in.dashboardPort() + "/status"
              : null;
      if (phase == Phase.Succeeded) {
        conditions.set(Conditions.SUCCEEDED, true, "Completed", "exit code 0");
      } else if (phase.isFinal()) {
        failed(job.state().name(), messageOf(job, phase));
      }
      return this;
    }

    StatusBuilder failed(String reason, String message) {
      conditions.set(Conditions.FAILED, true, reason, message);
      conditions.set(Conditions.RUNNING, false, reason, "");
      dashboardUrl = null;
      return this;
    }

    DaskMpiJobStatus build(Phase phase, String message) {
      DaskMpiJobStatus s = new DaskMpiJobStatus();
      s.setPhase(phase);
      s.setObservedGeneration(observedGeneration);
      s.setSlurm(slurm);
      s.setDashboardURL(phase.isFinal() ? null : dashboardUrl);
      s.setMessage(message);
      s.setSubmitRequestedAt(submitRequestedAt);
      s.setFixedSpecDigest(fixedSpecDigest);
      s.setAttempt(attempt);
      s.setCompletionTime(
          !phase.isFinal() ? null : completionTime != null ? completionTime : in.now().toString());
      s.setAttempts(List.copyOf(attempts));
      boolean ready = phase == Phase.Succeeded;
      conditions.set(
          Conditions.READY,
          ready,
          phase.name(),
          ready ? "finished successfully" : readyMessage(phase));
      // kstatus (Flux) reads Reconciling and Stalled: in progress until final, failed when it
      // ended without success. Argo CD reads the phase through its health check.
      conditions.set(
          Conditions.RECONCILING,
          !phase.isFinal(),
          phase.name(),
          phase.isFinal() ? "" : "the job has not ended");
      boolean stalled = phase.isFinal() && !ready;
      conditions.set(Conditions.STALLED, stalled, phase.name(), stalled ? message : "");
      s.setConditions(conditions.list());
      return s;
    }

    private static String readyMessage(Phase phase) {
      return phase.isFinal() ? "finished without success" : "in progress";
    }
  }
}
