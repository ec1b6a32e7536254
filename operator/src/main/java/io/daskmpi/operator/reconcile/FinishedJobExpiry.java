package io.daskmpi.operator.reconcile;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** When a finished resource with spec.ttlSecondsAfterFinished is due for deletion. */
public final class FinishedJobExpiry {
  private FinishedJobExpiry() {}

  /**
   * How long the resource has left: empty when it never expires (no TTL, or not finished), zero
   * when it is due now.
   */
  public static Optional<Duration> remaining(
      DaskMpiJobStatus status, Long ttlSeconds, Instant now) {
    if (ttlSeconds == null
        || status == null
        || status.getPhase() == null
        || !status.getPhase().isFinal()
        || status.getCompletionTime() == null) {
      return Optional.empty();
    }
    Instant due = Instant.parse(status.getCompletionTime()).plusSeconds(ttlSeconds);
    Duration left = Duration.between(now, due);
    return Optional.of(left.isNegative() ? Duration.ZERO : left);
  }
}
