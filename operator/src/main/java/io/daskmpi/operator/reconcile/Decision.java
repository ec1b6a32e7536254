package io.daskmpi.operator.reconcile;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;

/**
 * What a reconcile should do, and the status to write when it is done.
 *
 * @param action the one action to take
 * @param status the new status (for {@link Action#SUBMIT}, the status to write if the submit fails
 *     transiently; {@link JobStateMachine#submitted} gives the one after success)
 */
public record Decision(Action action, DaskMpiJobStatus status) {

  /** The actions the state machine can ask for. */
  public enum Action {
    NONE,
    SUBMIT
  }
}
