package io.daskmpi.operator.reconcile;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.JobCondition;
import io.daskmpi.operator.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * When to look at a job again. A job whose state was seen is followed by {@link SlurmChangeEvents},
 * which wakes its resource when the state changes: the delay is only a backstop, {@code followed}.
 * Before that, after the poll interval; while Slurm is unreachable, after as long as it has been
 * unreachable (capped), so the delay roughly doubles with each failed look and an outage does not
 * turn every job into a stream of requests.
 */
final class PollDelay {
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private PollDelay() {}

  static Duration next(
      DaskMpiJobStatus status, Duration pollInterval, Duration followed, Instant now) {
    if (status == null) {
      return pollInterval;
    }
    if (status.getConditions() != null) {
      for (JobCondition c : status.getConditions()) {
        if (Conditions.SLURM_REACHABLE.equals(c.getType()) && "False".equals(c.getStatus())) {
          Duration down = since(c.getLastTransitionTime(), now);
          Duration capped = down.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : down;
          return capped.compareTo(pollInterval) < 0 ? pollInterval : capped;
        }
      }
    }
    boolean seen = status.getSlurm() != null && status.getSlurm().getState() != null;
    return seen && followed.compareTo(pollInterval) > 0 ? followed : pollInterval;
  }

  private static Duration since(String time, Instant now) {
    try {
      return Duration.between(Instant.parse(time), now);
    } catch (DateTimeParseException | NullPointerException e) {
      return Duration.ZERO;
    }
  }
}
