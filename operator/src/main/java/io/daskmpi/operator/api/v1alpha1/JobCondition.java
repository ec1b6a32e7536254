package io.daskmpi.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One condition of a DaskMpiJob, in the shape Kubernetes conventions (and kstatus) expect. */
public class JobCondition {
  @JsonPropertyDescription(
      "Condition type: Submitted, Running, Succeeded, Failed, SlurmReachable, Ready, or the kstatus conditions Reconciling (True until the job ends) and Stalled (True when it ended without success).")
  private String type;

  @JsonPropertyDescription("True, False or Unknown.")
  private String status;

  @JsonPropertyDescription(
      "One-word reason for the condition's last transition, e.g. Submitted, SlurmError, TIMEOUT.")
  private String reason;

  @JsonPropertyDescription("Human-readable detail.")
  private String message;

  @JsonPropertyDescription(
      "When the status last changed (RFC 3339); kept when a poll finds it unchanged.")
  private String lastTransitionTime;

  @JsonPropertyDescription("The spec generation this condition was set for.")
  private Long observedGeneration;

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getStatus() {
    return status;
  }

  public void setStatus(String status) {
    this.status = status;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getLastTransitionTime() {
    return lastTransitionTime;
  }

  public void setLastTransitionTime(String lastTransitionTime) {
    this.lastTransitionTime = lastTransitionTime;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }
}
