package io.daskmpi.operator.reconcile;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.JobCondition;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.slurm.JobUpdate;
import io.daskmpi.operator.slurm.SlurmException;
import io.daskmpi.operator.slurm.SlurmJob;
import io.daskmpi.operator.status.Conditions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a submitted job owes to the spec's controls while it waits or runs: the hold of spec.suspend
 * and its release, queue settings edited since the submission, and what to report when they cannot
 * apply. Part of {@link JobStateMachine}'s decision: pure, no I/O.
 */
final class QueueControl {
  private QueueControl() {}

  static final String HELD = "Held";
  static final String ALREADY_RUNNING = "AlreadyRunning";
  static final String UPDATE_REJECTED = "UpdateRejected";

  /**
   * A job in Slurm's queue: held while spec.suspend says so, released when it no longer does, and
   * given the queue settings of a spec edited since the submission.
   */
  static Decision waiting(
      JobStateMachine.Input in,
      DaskMpiJobStatus old,
      StatusBuilder next,
      SlurmJob job,
      Phase observed) {
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
        suspended
            ? "held in Slurm's queue while spec.suspend is true"
            : JobStateMachine.messageOf(job, observed);
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
  static Decision started(
      JobStateMachine.Input in,
      DaskMpiJobStatus old,
      StatusBuilder next,
      SlurmJob job,
      Phase observed) {
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
        next.forPhase(observed, job).build(observed, JobStateMachine.messageOf(job, observed)));
  }

  /**
   * The status after Slurm did not take an update or a cancel. A refused update is reported and not
   * tried again until the spec changes (the condition keeps the generation it judged); anything
   * else leaves the outcome open, to be tried at the next reconcile.
   */
  static DaskMpiJobStatus notTaken(JobStateMachine.Input in, Decision decision, SlurmException e) {
    if (decision.action() != Decision.Action.UPDATE || !(e instanceof SlurmException.Rejected)) {
      return JobStateMachine.decide(in.with(Observation.Unreachable.of(e))).status();
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

  /** How the spec differs from the one the Slurm job was made from. */
  private enum SpecEdit {
    /** Not edited since the submission. */
    NONE,
    /** Only fields that may change while the job waits. */
    CHANGEABLE,
    /** Something the Slurm job cannot take (or unknown: a status without a digest). */
    FIXED
  }

  private static SpecEdit specEdit(JobStateMachine.Input in, DaskMpiJobStatus old) {
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

  private static Optional<JobCondition> condition(DaskMpiJobStatus s, String type) {
    return s.getConditions() == null
        ? Optional.empty()
        : s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** An update in words, e.g. "spec.timeLimit (10 min), spec.slurm.partition (long)". */
  static String describe(JobUpdate u) {
    List<String> parts = new ArrayList<>();
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
}
