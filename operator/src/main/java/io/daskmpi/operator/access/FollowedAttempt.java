package io.daskmpi.operator.access;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The attempt of a job whose output a log follows: it is over when the job has ended (or gone), or
 * when a retry has started the next attempt. The resource is read at most once per interval; a
 * failed read is no end (the next pause asks again).
 */
final class FollowedAttempt implements BooleanSupplier {
  private final Function<JobRoute, Optional<DaskMpiJob>> jobs;
  private final JobRoute route;
  private final Duration interval;
  private final int attempt;
  private Optional<DaskMpiJob> latest = Optional.empty();
  private long nextRead;

  FollowedAttempt(
      Function<JobRoute, Optional<DaskMpiJob>> jobs,
      JobRoute route,
      Duration interval,
      DaskMpiJob job) {
    this.jobs = jobs;
    this.route = route;
    this.interval = interval;
    this.attempt = JobFacts.attempt(job);
    this.nextRead = System.nanoTime();
  }

  @Override
  public boolean getAsBoolean() {
    long now = System.nanoTime();
    if (now - nextRead < 0) {
      return false;
    }
    nextRead = now + interval.toNanos();
    try {
      latest = jobs.apply(route);
    } catch (RuntimeException e) {
      return false;
    }
    return latest.isEmpty()
        || JobFacts.ended(latest.get())
        || JobFacts.attempt(latest.get()) != attempt;
  }

  /** Once this attempt is over: the job as last read, if a retry has started another. */
  Optional<DaskMpiJob> nextAttempt() {
    return latest.filter(job -> JobFacts.attempt(job) != attempt);
  }
}
