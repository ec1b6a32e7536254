package io.daskmpi.operator.reconcile;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.JobAttempt;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When spec.activeDeadlineSeconds runs out: that long after the first submission (of the first
 * attempt: its intent, else Slurm's submit time). The state machine cancels a job past it; the
 * reconciler looks again no later than it, since a job that sleeps changes nothing in Slurm that
 * would wake its resource.
 */
final class Deadline {
  private Deadline() {}

  /**
   * The deadline, or empty without one (no deadline set, nothing submitted yet).
   *
   * @param slurmSubmitTime Slurm's submit time of the current job, if known
   */
  static Optional<Instant> of(
      DaskMpiJobStatus status, Instant slurmSubmitTime, Duration activeDeadline) {
    if (activeDeadline == null || status == null) {
      return Optional.empty();
    }
    List<JobAttempt> attempts = status.getAttempts() == null ? List.of() : status.getAttempts();
    Instant first;
    if (status.currentAttempt() > 1
        && !attempts.isEmpty()
        && attempts.get(0).getSubmitTime() != null) {
      first = Instant.parse(attempts.get(0).getSubmitTime());
    } else if (status.getSubmitRequestedAt() != null) {
      first = Instant.parse(status.getSubmitRequestedAt());
    } else {
      first = slurmSubmitTime;
    }
    return Optional.ofNullable(first).map(t -> t.plus(activeDeadline));
  }

  /** How long until the deadline of a resource as its status stands (zero once past). */
  static Optional<Duration> remaining(DaskMpiJobStatus status, Long seconds, Instant now) {
    if (seconds == null || status == null || status.getSlurm() == null) {
      return Optional.empty();
    }
    String submitted = status.getSlurm().getSubmitTime();
    return of(
            status,
            submitted == null ? null : Instant.parse(submitted),
            Duration.ofSeconds(seconds))
        .map(due -> due.isAfter(now) ? Duration.between(now, due) : Duration.ZERO);
  }
}
