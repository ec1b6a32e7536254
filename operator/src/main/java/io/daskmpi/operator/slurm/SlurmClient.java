package io.daskmpi.operator.slurm;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the operator needs from slurmrestd, in version-neutral terms. Every method throws a {@link
 * SlurmException} subclass on failure.
 */
public interface SlurmClient {

  /** The REST API version this client speaks to its server. */
  ApiVersion apiVersion();

  /**
   * Asks slurmctld whether it is up. This is no access check: 24.11 and later answer a ping with a
   * bad token with HTTP 200. Use {@link #checkAccess()} for that.
   */
  ClusterInfo ping();

  /**
   * Makes an authenticated read, so that a bad or expired token shows up as {@link
   * SlurmException.Auth}.
   */
  void checkAccess();

  /** Submits a batch job. Succeeds exactly when Slurm returned a job id. */
  SubmitResult submit(JobSubmission submission);

  /**
   * Looks one job up.
   *
   * @return the job, or empty when slurmctld does not know it
   */
  Optional<SlurmJob> get(long jobId);

  /**
   * Whether {@link #states} is served: REST API v0.0.40 and later on Slurm 23.11.5 and later.
   * Without it, the jobs are followed with {@link #listChangedSince}.
   */
  boolean hasStateQuery();

  /**
   * The state of each of {@code jobIds} that slurmctld still holds (its base state, then flags, as
   * Slurm names them, e.g. {@code [COMPLETED, COMPLETING]}); ids it no longer holds are absent. A
   * few dozen bytes per asked job, however many jobs the cluster holds.
   *
   * @throws UnsupportedOperationException without {@link #hasStateQuery()}
   */
  Map<Long, List<String>> states(Collection<Long> jobIds);

  /**
   * Lists the jobs that may have changed since {@code since}, in one request however many jobs
   * there are. Jobs that finished before {@code since} are left out; active jobs are always
   * included, because some of their changes (a pending reason, the end of COMPLETING) carry no
   * time.
   */
  JobListing listChangedSince(Instant since);

  /**
   * Every job slurmctld holds whose comment is one of {@code tags}. A full listing of the cluster
   * (read as it arrives, keeping only the matches): for recovery, never for routine polling.
   */
  List<SlurmJob> findByTags(Set<String> tags);

  /** {@link #findByTags} for one tag. */
  default List<SlurmJob> findByTag(String tag) {
    return findByTags(Set.of(tag));
  }

  /**
   * Whether slurmdbd's records can be asked ({@code /slurmdb/}): the cluster has accounting and
   * slurmrestd serves it. Without it, a job is known only while slurmctld holds it (MinJobAge).
   */
  boolean hasHistory();

  /**
   * Looks a job up in slurmdbd's records, which keep jobs slurmctld has forgotten. Records arrive
   * there a little after the fact: prefer {@link #get} while slurmctld knows the job. One id may
   * have several records (each run of a requeued job; other clusters sharing the slurmdbd): only
   * those carrying {@code tag} count, and of those the latest run.
   *
   * @return the job, or empty when slurmdbd has no record of it with that tag or there is no {@link
   *     #hasHistory() history}
   */
  Optional<SlurmJob> history(long jobId, String tag);

  /**
   * Every job in slurmdbd's records named {@code name} whose comment equals {@code tag} and that
   * was eligible to run at or after {@code since}; empty without {@link #hasHistory() history}.
   * Needs {@code AccountingStoreFlags=job_comment}, else slurmdbd keeps no comments.
   */
  List<SlurmJob> historyByTag(String tag, String name, Instant since);

  /**
   * Changes a job that has not started: holds or releases it, or changes what {@link JobUpdate}
   * names. Slurm refuses most of these once the job runs.
   *
   * @throws SlurmException.Rejected when Slurm refuses the change (bad partition, job running, ...)
   * @throws SlurmException.NotFound when slurmctld does not know the job
   */
  void update(long jobId, JobUpdate update);

  /**
   * Cancels a job (signal KILL to the whole job, which Slurm records as CANCELLED). Cancelling a
   * finished job succeeds.
   *
   * @throws SlurmException.NotFound when the server says the job does not exist (v0.0.38 and
   *     v0.0.42+ say so; v0.0.40 and v0.0.41 answer 200 either way)
   */
  void cancel(long jobId);
}
