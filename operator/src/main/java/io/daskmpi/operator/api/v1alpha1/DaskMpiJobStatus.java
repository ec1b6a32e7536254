package io.daskmpi.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Observed state of a DaskMpiJob, written by the operator only. */
public class DaskMpiJobStatus {
  @JsonPropertyDescription(
      "Where the job is: Pending, Submitted, Queued, Running, Succeeded, Failed, Cancelled, Suspended or Unknown.")
  private Phase phase;

  @JsonPropertyDescription("The spec generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("The Slurm job as last observed.")
  private SlurmJobStatus slurm;

  @JsonPropertyDescription("URL of the Dask dashboard on the batch host, while the job runs.")
  private String dashboardURL;

  @JsonPropertyDescription("Human-readable detail on the phase, e.g. why the job failed.")
  private String message;

  @JsonPropertyDescription(
      "When the operator decided to submit the job to Slurm (RFC 3339), recorded before it asks Slurm. Set without slurm.jobId, it means a submit's outcome is unknown: the operator then looks for the job by its tag before it submits again.")
  private String submitRequestedAt;

  @JsonPropertyDescription(
      "When the job reached its final phase (RFC 3339); spec.ttlSecondsAfterFinished counts from here.")
  private String completionTime;

  @JsonPropertyDescription(
      "The attempt in progress (1 for the first Slurm job); status.slurm describes its Slurm job.")
  private Integer attempt;

  @JsonPropertyDescription(
      "Every Slurm job run for this resource, the current one last: job id, state, exit code and times.")
  private List<JobAttempt> attempts = new ArrayList<>();

  @JsonPropertyDescription(
      "Digest of the spec the Slurm job was made from, without the fields that may change while it waits (suspend, activeDeadlineSeconds, timeLimit, slurm.partition, account, qos, reservation). A later spec with another digest changed something the Slurm job cannot take: the SpecApplied condition says so.")
  private String fixedSpecDigest;

  @JsonPropertyDescription(
      "Conditions: Submitted, Running, Succeeded, Failed, Suspended, SpecApplied, SlurmReachable, Ready, and the kstatus conditions Reconciling and Stalled.")
  private List<JobCondition> conditions = new ArrayList<>();

  public Phase getPhase() {
    return phase;
  }

  public void setPhase(Phase phase) {
    this.phase = phase;
  }

  public String getCompletionTime() {
    return completionTime;
  }

  public void setCompletionTime(String completionTime) {
    this.completionTime = completionTime;
  }

  public Integer getAttempt() {
    return attempt;
  }

  public void setAttempt(Integer attempt) {
    this.attempt = attempt;
  }

  /**
   * The attempt in progress, 1 when the status does not say (before any submit, older operators).
   */
  public int currentAttempt() {
    return attempt == null ? 1 : attempt;
  }

  public List<JobAttempt> getAttempts() {
    return attempts;
  }

  public void setAttempts(List<JobAttempt> attempts) {
    this.attempts = attempts;
  }

  public String getFixedSpecDigest() {
    return fixedSpecDigest;
  }

  public void setFixedSpecDigest(String fixedSpecDigest) {
    this.fixedSpecDigest = fixedSpecDigest;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public SlurmJobStatus getSlurm() {
    return slurm;
  }

  public void setSlurm(SlurmJobStatus slurm) {
    this.slurm = slurm;
  }

  public String getDashboardURL() {
    return dashboardURL;
  }

  public void setDashboardURL(String dashboardURL) {
    this.dashboardURL = dashboardURL;
  }

  public String getSubmitRequestedAt() {
    return submitRequestedAt;
  }

  public void setSubmitRequestedAt(String submitRequestedAt) {
    this.submitRequestedAt = submitRequestedAt;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public List<JobCondition> getConditions() {
    return conditions;
  }

  public void setConditions(List<JobCondition> conditions) {
    this.conditions = conditions;
  }
}
