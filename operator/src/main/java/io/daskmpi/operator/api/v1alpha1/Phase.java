package io.daskmpi.operator.api.v1alpha1;

import java.util.Set;

/** The lifecycle phase of a DaskMpiJob. */
public enum Phase {
  /** Accepted by the operator, not yet submitted to Slurm. */
  Pending,
  /** Submitted; the Slurm state is not known yet. */
  Submitted,
  /** Waiting in the Slurm queue. */
  Queued,
  Running,
  /** Suspended in Slurm. */
  Suspended,
  Succeeded,
  Failed,
  Cancelled,
  /** Slurm no longer knows the job and its outcome was never seen. */
  Unknown;

  private static final Set<Phase> FINAL = Set.of(Succeeded, Failed, Cancelled, Unknown);

  /** A final phase never changes again. */
  public boolean isFinal() {
    return FINAL.contains(this);
  }
}
