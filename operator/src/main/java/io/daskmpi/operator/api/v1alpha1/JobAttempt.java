package io.daskmpi.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One Slurm job run for a DaskMpiJob: the first, or a retry after a retryable end. */
public class JobAttempt {
  @JsonPropertyDescription("1 for the first Slurm job, 2 for the first retry, and so on.")
  private Integer attempt;

  @JsonPropertyDescription("Slurm job id of this attempt.")
  private Long jobId;

  @JsonPropertyDescription("Slurm state as last observed, e.g. RUNNING, NODE_FAIL, COMPLETED.")
  private String state;

  @JsonPropertyDescription("Exit code of the batch script, once it ended.")
  private Integer exitCode;

  @JsonPropertyDescription("When Slurm accepted the job (RFC 3339).")
  private String submitTime;

  @JsonPropertyDescription("When the job started (RFC 3339).")
  private String startTime;

  @JsonPropertyDescription("When the job ended (RFC 3339).")
  private String endTime;

  public Integer getAttempt() {
    return attempt;
  }

  public void setAttempt(Integer attempt) {
    this.attempt = attempt;
  }

  public Long getJobId() {
    return jobId;
  }

  public void setJobId(Long jobId) {
    this.jobId = jobId;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public Integer getExitCode() {
    return exitCode;
  }

  public void setExitCode(Integer exitCode) {
    this.exitCode = exitCode;
  }

  public String getSubmitTime() {
    return submitTime;
  }

  public void setSubmitTime(String submitTime) {
    this.submitTime = submitTime;
  }

  public String getStartTime() {
    return startTime;
  }

  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }

  public String getEndTime() {
    return endTime;
  }

  public void setEndTime(String endTime) {
    this.endTime = endTime;
  }
}
