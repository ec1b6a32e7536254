package io.daskmpi.operator.reconcile;

import io.daskmpi.operator.slurm.SlurmJob;

/** What the operator knows of a DaskMpiJob's Slurm job at one reconcile. */
public sealed interface Observation {

  /** No Slurm job carries this resource's tag, and the status names none. */
  record NotSubmitted() implements Observation {}

  /** slurmctld reports the job. */
  record Found(SlurmJob job) implements Observation {}

  /** The status names a job id that slurmctld no longer knows (purged after MinJobAge, or lost). */
  record Gone(long jobId) implements Observation {}

  /**
   * The resource names (or was submitted to) an endpoint the operator's configuration lacks, e.g.
   * renamed in an upgrade. Nothing can be known about its job until the configuration has it again.
   */
  record EndpointUnknown(String cluster, String configured) implements Observation {}

  /**
   * Slurm could not be asked, or its answer is unknown; nothing is known beyond the last status.
   *
   * @param reason the cause as a condition reason, e.g. {@code SlurmUnavailable}
   * @param message what happened, in words
   */
  record Unreachable(String reason, String message) implements Observation {
    static Unreachable of(io.daskmpi.operator.slurm.SlurmException e) {
      return new Unreachable(e.reason(), e.getMessage());
    }
  }
}
