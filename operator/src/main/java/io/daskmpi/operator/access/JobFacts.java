package io.daskmpi.operator.access;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.Phase;

/** What the access API reads of a job's status, with the meaning of a status not written yet. */
final class JobFacts {
  private JobFacts() {}

  static Phase phase(DaskMpiJob job) {
    return job.getStatus() == null || job.getStatus().getPhase() == null
        ? Phase.Pending
        : job.getStatus().getPhase();
  }

  /** Over: a final phase, or deleted. */
  static boolean ended(DaskMpiJob job) {
    return job.getMetadata().getDeletionTimestamp() != null || phase(job).isFinal();
  }

  /** The Slurm job's output file as the cluster names it, or null before Slurm has one. */
  static String outputFile(DaskMpiJob job) {
    DaskMpiJobStatus status = job.getStatus();
    return status == null || status.getSlurm() == null ? null : status.getSlurm().getOutputFile();
  }

  /** The attempt in progress: 1 for the first Slurm job, one more for each retry. */
  static int attempt(DaskMpiJob job) {
    return job.getStatus() == null ? 1 : job.getStatus().currentAttempt();
  }
}
