package io.daskmpi.operator.reconcile;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobSpec;
import io.daskmpi.operator.api.v1alpha1.RetryPolicy;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.JobUpdate;
import io.daskmpi.operator.slurm.QueueSettings;
import io.daskmpi.operator.slurm.SlurmJob;
import io.daskmpi.operator.submit.TimeLimit;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the spec asks of a job beyond its content: whether it is suspended, its deadline, and the
 * queue settings it may change while it waits.
 *
 * @param suspend spec.suspend
 * @param activeDeadline spec.activeDeadlineSeconds, or null
 * @param queue the spec's partition, account, QOS, reservation and time limit (null fields: the
 *     spec leaves them to Slurm)
 * @param fixedDigest the digest of the rest of the spec ({@link SubmittedSpec#fixedDigest})
 * @param backoffLimit how many retries after the first attempt
 * @param retryStates the Slurm end states a retry follows
 * @param retryExitCodes the client's exit codes a retry follows
 */
public record JobControls(
    boolean suspend,
    Duration activeDeadline,
    JobUpdate queue,
    String fixedDigest,
    int backoffLimit,
    Set<JobState> retryStates,
    Set<Integer> retryExitCodes) {
  public static final JobControls NONE =
      new JobControls(
          false,
          null,
          new JobUpdate(null, null, null, null, null, null),
          null,
          0,
          Set.of(),
          Set.of());

  /** The controls of a valid spec. */
  public static JobControls of(DaskMpiJobSpec spec) {
    if (spec == null) {
      return NONE;
    }
    var slurm = spec.getSlurm();
    return new JobControls(
        spec.suspends(),
        spec.getActiveDeadlineSeconds() == null
            ? null
            : Duration.ofSeconds(spec.getActiveDeadlineSeconds()),
        new JobUpdate(
            null,
            TimeLimit.ofSpec(spec.getTimeLimit()),
            slurm == null ? null : blankToNull(slurm.getPartition()),
            slurm == null ? null : blankToNull(slurm.getAccount()),
            slurm == null ? null : blankToNull(slurm.getQos()),
            slurm == null ? null : blankToNull(slurm.getReservation())),
        SubmittedSpec.fixedDigest(spec),
        spec.getBackoffLimit() == null ? 0 : spec.getBackoffLimit(),
        retryStates(spec.getRetryPolicy()),
        spec.getRetryPolicy() == null
            ? Set.of()
            : Set.copyOf(spec.getRetryPolicy().getExitCodes()));
  }

  private static Set<JobState> retryStates(RetryPolicy policy) {
    List<RetryPolicy.RetryableState> named =
        policy == null || policy.getSlurmStates().isEmpty()
            ? RetryPolicy.DEFAULT_STATES
            : policy.getSlurmStates();
    return named.stream().map(s -> JobState.valueOf(s.name())).collect(Collectors.toSet());
  }

  /**
   * Whether a job that ended this way, as attempt ATTEMPT, gets another attempt: a retryable end,
   * and attempts left. A cancel (by anyone, the deadline included) is never retried.
   */
  public boolean retries(SlurmJob ended, int attempt) {
    if (attempt > backoffLimit) {
      return false;
    }
    if (retryStates.contains(ended.state())) {
      return true;
    }
    return ended.state() == JobState.FAILED
        && ended.exit() != null
        && ended.exit().signal() == null
        && retryExitCodes.contains(ended.exit().code());
  }

  /**
   * The update that brings a waiting job's settings to the spec's: only what the spec sets and
   * Slurm reports otherwise.
   */
  public JobUpdate editsFor(QueueSettings current) {
    return new JobUpdate(
        null,
        queue.timeLimitMinutes() == null
                || Objects.equals(queue.timeLimitMinutes(), current.timeLimitMinutes())
            ? null
            : queue.timeLimitMinutes(),
        differing(queue.partition(), current.partition()),
        differing(queue.account(), current.account()),
        differing(queue.qos(), current.qos()),
        differing(queue.reservation(), current.reservation()));
  }

  private static String differing(String wanted, String current) {
    return wanted == null || wanted.equals(current) ? null : wanted;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
