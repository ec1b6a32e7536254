package io.daskmpi.operator.reconcile;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;

/**
 * Stores a resource's status with its intent to submit before Slurm is asked (KubeRay's fix for
 * duplicate submits, ray-project/kuberay#2579). After a crash between the submit and the status
 * write, the stored intent without a job id is what tells the next reconcile to look the job up by
 * its tag; without an intent nothing was submitted, and no lookup is needed.
 */
@FunctionalInterface
public interface SubmitIntents {
  /** For {@code run -f}: one process holds the status, and a crash ends the run anyway. */
  SubmitIntents IN_MEMORY = status -> {};

  /**
   * Returns once the status is stored; throws when it cannot be (then nothing is submitted). The
   * write must fail rather than overwrite a newer status (optimistic locking).
   */
  void record(DaskMpiJobStatus status);
}
