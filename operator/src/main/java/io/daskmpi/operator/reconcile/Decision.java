package io.daskmpi.operator.reconcile;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.slurm.JobUpdate;

/**
 * What a reconcile should do, and the status to write when it is done.
 *
 * @param action the one action to take
 * @param status the new status: for {@link Action#SUBMIT}, the one to write if the submit fails
 *     transiently ({@link JobStateMachine#submitted} gives the one after success); for {@link
 *     Action#UPDATE} and {@link Action#CANCEL}, the one to write once Slurm took the change ({@link
 *     QueueControl#notTaken} gives the one when it did not)
 * @param update for {@link Action#UPDATE}, the change to make to the waiting Slurm job
 */
public record Decision(Action action, DaskMpiJobStatus status, JobUpdate update) {

  public Decision(Action action, DaskMpiJobStatus status) {
    this(action, status, null);
  }

  /** The actions the state machine can ask for. */
  public enum Action {
    NONE,
    SUBMIT,
    /** Change the waiting Slurm job: hold, release, or new queue settings. */
    UPDATE,
    /** Cancel the Slurm job (its deadline passed). */
    CANCEL
  }
}
