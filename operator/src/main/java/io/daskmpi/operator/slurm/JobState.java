package io.daskmpi.operator.slurm;

import java.util.Locale;
import java.util.Set;

/**
 * Base state of a Slurm job, as in Slurm's {@code enum job_states}. Flags such as {@code
 * COMPLETING} travel separately in {@link SlurmJob#flags()}.
 */
public enum JobState {
  PENDING,
  RUNNING,
  SUSPENDED,
  COMPLETED,
  CANCELLED,
  FAILED,
  TIMEOUT,
  NODE_FAIL,
  PREEMPTED,
  BOOT_FAIL,
  DEADLINE,
  OUT_OF_MEMORY,
  /** A state name this client does not know; never treated as finished. */
  UNKNOWN;

  private static final Set<JobState> TERMINAL =
      Set.of(
          COMPLETED,
          CANCELLED,
          FAILED,
          TIMEOUT,
          NODE_FAIL,
          PREEMPTED,
          BOOT_FAIL,
          DEADLINE,
          OUT_OF_MEMORY);

  /** Slurm's IS_JOB_FINISHED: the base state is past SUSPENDED. */
  public boolean isTerminal() {
    return TERMINAL.contains(this);
  }

  /** Parses a base state name; unknown names map to {@link #UNKNOWN}. */
  public static JobState ofBaseName(String name) {
    if (name == null) {
      return UNKNOWN;
    }
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return UNKNOWN;
    }
  }
}
