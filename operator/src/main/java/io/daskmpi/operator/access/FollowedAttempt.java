package io.daskmpi.operator.access;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The attempt of a job whose output file a log follows: it is over when the job has ended (or
 * gone), or when a retry has given the job another output file. The resource is read at most once
 * per interval; a failed read is no end (the next pause asks again).
 */
final class FollowedAttempt implements BooleanSupplier {
  private final Function<JobRoute, Optional<DaskMpiJob>> jobs;
  private final JobRoute route;
  private final Duration interval;
  private final String outputFile;
  private Optional<DaskMpiJob> latest = Optional.empty();
  private long nextRead;

  FollowedAttempt(
      Function<JobRoute, Optional<DaskMpiJob>> jobs,
      JobRoute route,
      Duration interval,
      String outputFile) {
    this.jobs = jobs;
    this.route = route;
    this.interval = interval;
    this.outputFile = outputFile;
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
        || ended(latest.get())
        || !outputFile.equals(outputFileOf(latest.get()));
  }

  /**
   * The job as last read once the attempt is over, if it goes on in another output file: a retry
   * (its file may not exist yet), or a retry that has already ended.
   */
  Optional<DaskMpiJob> nextAttempt() {
    return latest.filter(
        job -> {
          String next = outputFileOf(job);
          return next == null ? !ended(job) : !next.equals(outputFile);
        });
  }

  static boolean ended(DaskMpiJob job) {
    return job.getMetadata().getDeletionTimestamp() != null
        || (job.getStatus() != null
            && job.getStatus().getPhase() != null
            && job.getStatus().getPhase().isFinal());
  }

  static String outputFileOf(DaskMpiJob job) {
    DaskMpiJobStatus status = job.getStatus();
    return status == null || status.getSlurm() == null ? null : status.getSlurm().getOutputFile();
  }
}
