package io.daskmpi.operator.reconcile;

import io.daskmpi.operator.slurm.SlurmJob;
import java.util.Optional;
import java.util.Set;

/**
 * Where a {@link JobTracker} reads what slurmctld holds of our jobs: by their ids where slurmrestd
 * can answer for a list of ids ({@link PolledStates}), else from "changed since" listings ({@link
 * ListedStates}). Thread-safe: JOSDK reconciles resources concurrently.
 */
interface JobStates {

  /**
   * The job as slurmctld holds it.
   *
   * @return the job, or empty when slurmctld no longer holds it
   */
  Optional<SlurmJob> current(long jobId);

  /**
   * Forgets what is known of the job, so that the next look asks Slurm (after a submit, a cancel).
   */
  void invalidate(long jobId);

  /**
   * Polls Slurm if a poll is due, then names the followed jobs found changed since the last call:
   * their state changed, they left slurmctld, or their details are due for a re-read. Their
   * resources need a look; the others do not.
   */
  Set<Long> poll();
}
