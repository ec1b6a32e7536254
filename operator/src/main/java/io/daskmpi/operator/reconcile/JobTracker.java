package io.daskmpi.operator.reconcile;

import io.daskmpi.operator.slurm.JobListing;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.SlurmException;
import io.daskmpi.operator.slurm.SlurmJob;
import io.daskmpi.operator.submit.JobIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The observe step for one Slurm endpoint. However many DaskMpiJobs reconcile, slurmctld sees one
 * "changed since" listing per poll interval; a full listing every resync interval drops jobs that
 * left slurmctld, so a job that vanished is reported {@link Observation.Gone} instead of staying
 * Running forever.
 *
 * <p>Thread-safe: JOSDK reconciles resources concurrently.
 */
public final class JobTracker {
  /** How far the API server's clock may be ahead of slurmdbd's when searching its records. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(10);

  private final SlurmClient client;
  private final Duration pollInterval;
  private final Duration resyncInterval;
  private final Clock clock;
  private final Map<Long, SlurmJob> jobs = new HashMap<>();
  private Instant lastPoll = Instant.EPOCH;
  private Instant lastResync = Instant.EPOCH;
  private Instant since = Instant.EPOCH;

  public JobTracker(
      SlurmClient client, Duration pollInterval, Duration resyncInterval, Clock clock) {
    this.client = client;
    this.pollInterval = pollInterval;
    this.resyncInterval = resyncInterval;
    this.clock = clock;
  }

  public SlurmClient client() {
    return client;
  }

  /**
   * What Slurm says about the job of resource {@code id}: slurmctld while it holds the job, then
   * slurmdbd's records, where the endpoint has them.
   *
   * @param jobId the job id the status names, or null when it names none
   */
  public Observation observe(JobIdentity id, Long jobId) {
    String tag = id.tag();
    try {
      if (jobId == null) {
        // Before submitting, ask Slurm itself (not the cache): a job submitted just before a lost
        // status write must be found, or it would be submitted twice; slurmdbd remembers it after
        // slurmctld has forgotten it.
        List<SlurmJob> tagged = client.findByTag(tag);
        if (tagged.isEmpty()) {
          tagged = client.historyByTag(tag, id.jobName(), id.created().minus(CLOCK_SKEW));
        }
        return tagged.stream()
            .max(Comparator.comparingLong(SlurmJob::id))
            .<Observation>map(Observation.Found::new)
            .orElseGet(Observation.NotSubmitted::new);
      }
      Optional<SlurmJob> job = lookup(jobId);
      if (job.isEmpty()) {
        // Left slurmctld (MinJobAge): its record in slurmdbd tells how it ended.
        job = client.history(jobId, tag);
      }
      if (job.isEmpty() || !job.get().comment().equals(tag)) {
        // Job ids wrap around and get reused: a job with another tag belongs to someone else.
        return new Observation.Gone(jobId);
      }
      return new Observation.Found(job.get());
    } catch (SlurmException e) {
      if (e.isRetriable() || e instanceof SlurmException.Auth) {
        return Observation.Unreachable.of(e);
      }
      throw e;
    }
  }

  /**
   * Forgets a job's cached state, so that the next look goes to Slurm (after a submit or cancel).
   */
  public synchronized void invalidate(long jobId) {
    jobs.remove(jobId);
  }

  private Optional<SlurmJob> lookup(long jobId) {
    refreshIfDue();
    synchronized (this) {
      SlurmJob cached = jobs.get(jobId);
      if (cached != null) {
        return Optional.of(cached);
      }
    }
    // Not seen by a listing yet (first look after a restart, or a job older than the last poll).
    Optional<SlurmJob> fresh = client.get(jobId);
    synchronized (this) {
      fresh.ifPresent(j -> jobs.put(j.id(), j));
    }
    return fresh;
  }

  /** A listing one reconcile has claimed; the others go on with the cache meanwhile. */
  private record Refresh(
      boolean full, Instant since, Instant previousPoll, Instant previousResync) {}

  /**
   * At most one listing per interval, and no lock held while it runs: one slow slurmrestd answer
   * must not stall every other reconcile of the endpoint.
   */
  private void refreshIfDue() {
    Refresh refresh = claimRefresh();
    if (refresh == null) {
      return;
    }
    JobListing listing;
    try {
      listing = client.listChangedSince(refresh.since());
    } catch (RuntimeException e) {
      synchronized (this) { // not done: the next reconcile tries again
        lastPoll = refresh.previousPoll();
        lastResync = refresh.previousResync();
      }
      throw e;
    }
    apply(refresh, listing);
  }

  private synchronized Refresh claimRefresh() {
    Instant now = clock.instant();
    Refresh refresh;
    if (Duration.between(lastResync, now).compareTo(resyncInterval) >= 0) {
      refresh = new Refresh(true, Instant.EPOCH, lastPoll, lastResync);
      lastResync = now;
    } else if (Duration.between(lastPoll, now).compareTo(pollInterval) >= 0) {
      refresh = new Refresh(false, since, lastPoll, lastResync);
    } else {
      return null;
    }
    lastPoll = now;
    return refresh;
  }

  private synchronized void apply(Refresh refresh, JobListing listing) {
    if (refresh.full()) {
      jobs.clear();
    } else if (!listing.unchanged()) {
      // A changed listing holds every active job; an active job missing from it has ended at a
      // time before `since` (e.g. COMPLETING -> COMPLETED carries no new time): look it up again.
      var listed = new java.util.HashSet<Long>();
      listing.jobs().forEach(j -> listed.add(j.id()));
      jobs.values().removeIf(j -> !j.isFinished() && !listed.contains(j.id()));
    }
    listing.jobs().forEach(j -> jobs.put(j.id(), j));
    since = listing.asOf();
  }
}
