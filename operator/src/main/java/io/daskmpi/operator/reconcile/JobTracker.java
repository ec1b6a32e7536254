package io.daskmpi.operator.reconcile;

import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.SlurmException;
import io.daskmpi.operator.slurm.SlurmJob;
import io.daskmpi.operator.submit.JobIdentity;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The observe step for one Slurm endpoint: what Slurm holds of a resource's job, at a cost that
 * follows the number of our jobs, not the cluster's. Jobs are followed by id ({@link JobStates}); a
 * lookup by tag (a full listing) happens only for a resource whose submit outcome is unknown.
 *
 * <p>Thread-safe: JOSDK reconciles resources concurrently.
 */
public final class JobTracker {
  /** How far the API server's clock may be ahead of slurmdbd's when searching its records. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(10);

  private final SlurmClient client;
  private final String user;
  private final JobStates states;
  private final TagLookup tags;

  /** Jobs this process submitted whose ids the resources' statuses may not show yet. */
  private final Map<String, Long> submittedHere = new ConcurrentHashMap<>();

  /**
   * @param user the Slurm user the client acts as: only jobs of this user are ever taken for a
   *     resource's, whatever their tag says
   */
  public JobTracker(
      SlurmClient client,
      String user,
      Duration pollInterval,
      Duration resyncInterval,
      Clock clock) {
    this.client = client;
    this.user = user;
    this.states =
        client.hasStateQuery()
            ? new PolledStates(client, pollInterval, resyncInterval, clock)
            : new ListedStates(client, pollInterval, resyncInterval, clock);
    this.tags = new TagLookup(client);
  }

  public SlurmClient client() {
    return client;
  }

  /**
   * What Slurm says about the job of resource {@code id}: slurmctld while it holds the job, then
   * slurmdbd's records, where the endpoint has them.
   *
   * @param jobId the job id the status names, or null when it names none
   * @param submitIntended whether the status records an intent to submit: without one, nothing was
   *     ever submitted for the resource, and Slurm is not asked
   */
  public Observation observe(JobIdentity id, Long jobId, boolean submitIntended) {
    String tag = id.tag();
    try {
      if (jobId == null) {
        Long known = submittedHere.get(tag);
        if (known != null) {
          return byId(tag, known); // our own submit, its status write not seen yet
        }
        return submitIntended ? byTag(id) : new Observation.NotSubmitted();
      }
      submittedHere.remove(tag);
      return byId(tag, jobId);
    } catch (SlurmException e) {
      if (e.isRetriable() || e instanceof SlurmException.Auth) {
        return Observation.Unreachable.of(e);
      }
      throw e;
    }
  }

  /** Records a job this process submitted, so that the next look follows it by its id. */
  public void submitted(JobIdentity id, long jobId) {
    submittedHere.put(id.tag(), jobId);
    states.invalidate(jobId);
  }

  /** The id of the resource's job if this process submitted it (its status may not show it yet). */
  public Optional<Long> submittedId(JobIdentity id) {
    return Optional.ofNullable(submittedHere.get(id.tag()));
  }

  /** Forgets the resource's submit (its resource is gone): nothing of it is looked up again. */
  public void forget(JobIdentity id) {
    submittedHere.remove(id.tag());
  }

  /**
   * Reads a job again after the operator changed it (a hold, a release, an edit, a cancel), so that
   * it stays followed with its new state: a job no poll follows wakes its resource only at the
   * backstop. A failed read leaves it to the next reconcile.
   */
  public void reread(long jobId) {
    states.invalidate(jobId);
    try {
      states.current(jobId);
    } catch (SlurmException e) {
      // the next reconcile reads it
    }
  }

  /** Forgets what is known of a job, so that the next look asks Slurm (after a cancel). */
  public void invalidate(long jobId) {
    states.invalidate(jobId);
  }

  /**
   * Polls Slurm if due; the ids of the followed jobs found changed since the last call.
   *
   * @throws SlurmException when Slurm cannot be asked
   */
  public Set<Long> poll() {
    return states.poll();
  }

  /** The resource's jobs slurmctld holds that have not ended, found by their tag. */
  public List<Long> activeByTag(JobIdentity id) {
    submittedHere.remove(id.tag());
    return tags.find(id.tag()).stream()
        .filter(j -> owns(j, id.tag()) && !j.isFinished())
        .map(SlurmJob::id)
        .toList();
  }

  /**
   * Whether a job is the resource's: it carries the resource's tag and runs as this connection's
   * user. Job ids wrap around and get reused, and anyone can put any comment on a job of their own:
   * a tag alone proves nothing.
   */
  public boolean owns(SlurmJob job, String tag) {
    return job.comment().equals(tag) && job.userName().equals(user);
  }

  private List<SlurmJob> owned(List<SlurmJob> jobs, String tag) {
    return jobs.stream().filter(j -> owns(j, tag)).toList();
  }

  private Observation byId(String tag, long jobId) {
    Optional<SlurmJob> job = states.current(jobId);
    if (job.isEmpty()) {
      // Left slurmctld (MinJobAge): its record in slurmdbd tells how it ended.
      job = client.history(jobId, tag);
    }
    if (job.isEmpty() || !owns(job.get(), tag)) {
      return new Observation.Gone(jobId);
    }
    return new Observation.Found(job.get());
  }

  /**
   * The submit's outcome is unknown (a crash or a lost answer after the intent was recorded): ask
   * Slurm itself, or the job would be submitted twice; slurmdbd remembers a job slurmctld forgot.
   */
  private Observation byTag(JobIdentity id) {
    List<SlurmJob> tagged = owned(tags.find(id.tag()), id.tag());
    if (tagged.isEmpty()) {
      tagged =
          owned(
              client.historyByTag(id.tag(), id.jobName(), id.created().minus(CLOCK_SKEW)),
              id.tag());
    }
    Optional<SlurmJob> newest = tagged.stream().max(Comparator.comparingLong(SlurmJob::id));
    if (newest.isEmpty()) {
      return new Observation.NotSubmitted();
    }
    // Read by its id, so that the job is followed (its changes wake the resource) from now on.
    Observation found = byId(id.tag(), newest.get().id());
    return found instanceof Observation.Found ? found : new Observation.Found(newest.get());
  }
}
