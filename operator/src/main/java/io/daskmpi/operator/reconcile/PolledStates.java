package io.daskmpi.operator.reconcile;

import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.SlurmJob;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Our jobs' states by their ids (REST API v0.0.40+): once per poll interval one {@code jobs/state}
 * query names every active job we follow and answers with its state alone; a job's details ({@code
 * GET /job/{id}}) are read again only when its state changed. What this costs slurmctld follows the
 * number of our jobs, never the number of jobs on the cluster.
 *
 * <p>A pending job's reason can change without its state: each poll also re-reads the details of
 * the pending jobs read longest ago, so many that each is re-read about once per resync interval,
 * but never more than {@link #MAX_REFRESHES_PER_POLL} (with 10,000 pending jobs, uncapped, that
 * would be 2.9 MB of answers per poll). A job no reconcile asked for during a resync interval (its
 * resource was deleted, or ended) is forgotten.
 */
final class PolledStates implements JobStates {
  static final int MAX_REFRESHES_PER_POLL = 25;

  private final SlurmClient client;
  private final Duration pollInterval;
  private final Duration resyncInterval;
  private final Clock clock;
  private final Map<Long, Followed> followed = new HashMap<>();
  private final Set<Long> changed = new HashSet<>();
  private Instant lastPoll = Instant.EPOCH;

  /** What is known of one job; guarded by the enclosing instance. */
  private static final class Followed {
    SlurmJob job;
    Instant read;
    Instant wanted;
    List<String> polledState;
    boolean stale;
  }

  PolledStates(SlurmClient client, Duration pollInterval, Duration resyncInterval, Clock clock) {
    this.client = client;
    this.pollInterval = pollInterval;
    this.resyncInterval = resyncInterval;
    this.clock = clock;
  }

  @Override
  public Optional<SlurmJob> current(long jobId) {
    pollIfDue();
    synchronized (this) {
      Followed f = followed.get(jobId);
      if (f != null) {
        f.wanted = clock.instant();
        if (!f.stale) {
          return Optional.of(f.job);
        }
      }
    }
    Optional<SlurmJob> fresh = client.get(jobId);
    synchronized (this) {
      if (fresh.isEmpty()) {
        followed.remove(jobId); // slurmctld forgot it: the tracker asks slurmdbd
      } else {
        Followed f = followed.computeIfAbsent(jobId, id -> new Followed());
        f.job = fresh.get();
        f.read = clock.instant();
        f.wanted = f.read;
        f.stale = false;
      }
    }
    return fresh;
  }

  @Override
  public synchronized void invalidate(long jobId) {
    followed.remove(jobId);
  }

  @Override
  public Set<Long> poll() {
    pollIfDue();
    synchronized (this) {
      Set<Long> found = Set.copyOf(changed);
      changed.clear();
      return found;
    }
  }

  /** How many jobs are followed now (for tests and metrics). */
  synchronized int size() {
    return followed.size();
  }

  /**
   * At most one query per poll interval, and no lock held while it runs: a slow answer must not
   * stall every other reconcile of the endpoint.
   */
  private void pollIfDue() {
    List<Long> active;
    Instant previous;
    synchronized (this) {
      Instant now = clock.instant();
      if (Duration.between(lastPoll, now).compareTo(pollInterval) < 0) {
        return;
      }
      previous = lastPoll;
      lastPoll = now;
      followed
          .values()
          .removeIf(f -> Duration.between(f.wanted, now).compareTo(resyncInterval) > 0);
      active = new ArrayList<>();
      // Ended jobs too, until forgotten: a requeued one (NODE_FAIL, PREEMPTED) runs again.
      followed.forEach(
          (id, f) -> {
            if (!f.stale) {
              active.add(id);
            }
          });
    }
    if (active.isEmpty()) {
      return;
    }
    Map<Long, List<String>> states;
    try {
      states = client.states(active);
    } catch (RuntimeException e) {
      synchronized (this) { // not done: the next reconcile tries again
        lastPoll = previous;
      }
      throw e;
    }
    apply(active, states);
  }

  private synchronized void apply(List<Long> asked, Map<Long, List<String>> states) {
    for (long id : asked) {
      Followed f = followed.get(id);
      if (f == null || f.stale) {
        continue; // invalidated or re-read meanwhile
      }
      List<String> state = states.get(id);
      List<String> known = f.polledState != null ? f.polledState : stateNames(f.job);
      // Absent: slurmctld no longer holds it; the next look finds out how it ended.
      f.stale = state == null || !state.equals(known);
      f.polledState = state;
      if (f.stale) {
        changed.add(id);
      }
    }
    refreshOldestPending();
  }

  /** Marks the pending jobs read longest ago for a re-read: about each once per resync interval. */
  private void refreshOldestPending() {
    List<Followed> pending = new ArrayList<>();
    followed.values().stream()
        .filter(f -> !f.stale && f.job.state() == JobState.PENDING)
        .forEach(pending::add);
    long perPoll =
        Math.min(
            MAX_REFRESHES_PER_POLL,
            Math.max(
                1,
                (long)
                    Math.ceil(
                        pending.size()
                            * (double) pollInterval.toMillis()
                            / resyncInterval.toMillis())));
    Instant due = clock.instant().minus(resyncInterval.dividedBy(2));
    pending.stream()
        .filter(f -> f.read.isBefore(due))
        .sorted(Comparator.comparing((Followed f) -> f.read))
        .limit(perPoll)
        .forEach(
            f -> {
              f.stale = true;
              changed.add(f.job.id());
            });
  }

  /** A job's state as {@code jobs/state} names it: the base state, then the flags. */
  static List<String> stateNames(SlurmJob job) {
    List<String> names = new ArrayList<>();
    names.add(job.state().name());
    names.addAll(job.flags());
    return names;
  }
}
