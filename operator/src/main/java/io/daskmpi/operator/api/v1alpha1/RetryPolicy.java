package io.daskmpi.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** Which ends of a Slurm job are worth another attempt (up to spec.backoffLimit). */
public class RetryPolicy {
  /** Retried when the policy names no Slurm state: the ends that are no fault of the script. */
  public static final List<RetryableState> DEFAULT_STATES =
      List.of(RetryableState.NODE_FAIL, RetryableState.BOOT_FAIL, RetryableState.PREEMPTED);

  @Size(max = 5)
  @JsonPropertyDescription(
      "Slurm end states that start a new attempt. Empty: NODE_FAIL, BOOT_FAIL and PREEMPTED (a node's fault, not the script's).")
  private List<RetryableState> slurmStates = new ArrayList<>();

  @Size(max = 32)
  @JsonPropertyDescription(
      "Exit codes of the client script that start a new attempt (e.g. 75, EX_TEMPFAIL). Any other non-zero exit fails the job: a script's own failure is never retried unless listed here.")
  private List<Integer> exitCodes = new ArrayList<>();

  public List<RetryableState> getSlurmStates() {
    return slurmStates;
  }

  public void setSlurmStates(List<RetryableState> slurmStates) {
    this.slurmStates = slurmStates;
  }

  public List<Integer> getExitCodes() {
    return exitCodes;
  }

  public void setExitCodes(List<Integer> exitCodes) {
    this.exitCodes = exitCodes;
  }

  /** Slurm end states a retry may follow. */
  public enum RetryableState {
    NODE_FAIL,
    BOOT_FAIL,
    PREEMPTED,
    TIMEOUT,
    OUT_OF_MEMORY
  }
}
