package io.daskmpi.operator.reconcile;

import io.daskmpi.operator.slurm.JobListing;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.SlurmJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Our jobs' states from "changed since" listings, for REST API v0.0.38 (Slurm 22.05), which has no
 * query by id: however many DaskMpiJobs reconcile, slurmctld sees one listing per poll interval,
 * and a full listing every resync interval drops jobs that left slurmctld. A changed listing holds
 * every job of the cluster, so on a busy cluster this costs what the cluster holds; {@link
 * PolledStates} does not.
 */
final class ListedStates implements JobStates {
  private final SlurmClient client;
  private final Duration pollInterval;
  private final Duration resyncInterval;
  private final Clock clock;
  private final Map<Long, SlurmJob> jobs = new HashMap<>();
  private final Set<Long> changed = new HashSet<>();
  private Instant lastPoll = Instant.EPOCH;
  private Instant lastResync = Instant.EPOCH;
  private Instant since = Instant.EPOCH;

  ListedStates(SlurmClient client, Duration pollInterval, Duration resyncInterval, Clock clock) {
    this.client = client;
    this.pollInterval = pollInterval;
    this.resyncInterval = resyncInterval;
    this.clock = clock;
  }

  @Override
  public synchronized void invalidate(long jobId) {
    jobs.remove(jobId);
  }

  @Override
  public Optional<SlurmJob> current(long jobId) {
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

  @Override
  public Set<Long> poll() {
    refreshIfDue();
    synchronized (this) {
      Set<Long> found = Set.copyOf(changed);
      changed.clear();
      return found;
    }
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
    Map<Long, SlurmJob> before = new HashMap<>(jobs);
    if (refresh.full()) {
      jobs.clear();
    } else if (!listing.unchanged()) {
      // A changed listing holds every active job; an active job missing from it has ended at a
      // time before `since` (e.g. COMPLETING -> COMPLETED carries no new time): look it up again.
      Set<Long> listed = new HashSet<>();
      listing.jobs().forEach(j -> listed.add(j.id()));
      jobs.values().removeIf(j -> !j.isFinished() && !listed.contains(j.id()));
    }
    listing.jobs().forEach(j -> jobs.put(j.id(), j));
    since = listing.asOf();
    before.forEach(
        (id, job) -> {
          if (!Objects.equals(job, jobs.get(id))) {
            changed.add(id);
          }
        });
    // Bounded when nobody drains it (run -f): a job neither listed now nor before is long gone.
    changed.removeIf(id -> !before.containsKey(id) && !jobs.containsKey(id));
  }
}
