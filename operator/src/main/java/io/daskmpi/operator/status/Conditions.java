package io.daskmpi.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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

  private final List<Condition> conditions;
  private final Instant now;
  private final Long generation;

  public Conditions(List<Condition> existing, Instant now, Long generation) {
    this.conditions = new ArrayList<>();
    for (Condition c : existing == null ? List.<Condition>of() : existing) {
      conditions.add(new ConditionBuilder(c).build());
    }
    this.now = now;
    this.generation = generation;
  }

  public Conditions set(String type, boolean status, String reason, String message) {
    String value = status ? "True" : "False";
    Condition old = find(type);
    String since =
        old != null && value.equals(old.getStatus()) ? old.getLastTransitionTime() : now.toString();
    Condition updated =
        new ConditionBuilder()
            .withType(type)
            .withStatus(value)
            .withReason(reason)
            .withMessage(message == null ? "" : message)
            .withLastTransitionTime(since)
            .withObservedGeneration(generation)
            .build();
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

  public List<Condition> list() {
    return List.copyOf(conditions);
  }

  private Condition find(String type) {
    return conditions.stream()
        .filter(c -> Objects.equals(type, c.getType()))
        .findFirst()
        .orElse(null);
  }
}
