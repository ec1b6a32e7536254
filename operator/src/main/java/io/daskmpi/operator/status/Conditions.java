package io.daskmpi.operator.status;

import io.daskmpi.operator.api.v1alpha1.JobCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The condition list of a status. Setting a condition keeps its {@code lastTransitionTime} when its
 * status did not change, as Kubernetes conventions ask (so a poll is not a transition).
 */
public final class Conditions {
  public static final String SUBMITTED = "Submitted";
  public static final String RUNNING = "Running";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";
  public static final String SLURM_REACHABLE = "SlurmReachable";
  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";

  /** False while the spec was edited after the submission: the Slurm job runs the older spec. */
  public static final String SPEC_APPLIED = "SpecApplied";

  /** True while spec.suspend keeps the job out of Slurm or held in its queue. */
  public static final String SUSPENDED = "Suspended";

  private final List<JobCondition> conditions;
  private final Instant now;
  private final Long generation;

  public Conditions(List<JobCondition> existing, Instant now, Long generation) {
    this.conditions = new ArrayList<>();
    for (JobCondition c : existing == null ? List.<JobCondition>of() : existing) {
      conditions.add(copy(c));
    }
    this.now = now;
    this.generation = generation;
  }

  public Conditions set(String type, boolean status, String reason, String message) {
    return set(type, status, reason, message, generation);
  }

  /**
   * Sets a condition that describes another generation than the status as a whole: SpecApplied
   * judges the newest spec while the status still describes the one the Slurm job was made from.
   */
  public Conditions set(
      String type, boolean status, String reason, String message, Long judgedGeneration) {
    String value = status ? "True" : "False";
    JobCondition old = find(type);
    String since =
        old != null && value.equals(old.getStatus()) ? old.getLastTransitionTime() : now.toString();
    JobCondition updated = new JobCondition();
    updated.setType(type);
    updated.setStatus(value);
    updated.setReason(reason);
    updated.setMessage(message == null ? "" : message);
    updated.setLastTransitionTime(since);
    updated.setObservedGeneration(judgedGeneration);
    if (old != null) {
      conditions.set(conditions.indexOf(old), updated);
    } else {
      conditions.add(updated);
    }
    return this;
  }

  public Conditions remove(String type) {
    conditions.removeIf(c -> type.equals(c.getType()));
    return this;
  }

  /** The condition of TYPE, if set. */
  public Optional<JobCondition> get(String type) {
    return Optional.ofNullable(find(type));
  }

  public List<JobCondition> list() {
    return List.copyOf(conditions);
  }

  private static JobCondition copy(JobCondition c) {
    JobCondition copy = new JobCondition();
    copy.setType(c.getType());
    copy.setStatus(c.getStatus());
    copy.setReason(c.getReason());
    copy.setMessage(c.getMessage());
    copy.setLastTransitionTime(c.getLastTransitionTime());
    copy.setObservedGeneration(c.getObservedGeneration());
    return copy;
  }

  private JobCondition find(String type) {
    return conditions.stream()
        .filter(c -> Objects.equals(type, c.getType()))
        .findFirst()
        .orElse(null);
  }
}
