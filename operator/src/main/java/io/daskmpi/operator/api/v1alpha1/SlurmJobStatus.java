package io.daskmpi.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The Slurm job as the operator last saw it. */
public class SlurmJobStatus {
  @JsonPropertyDescription("Slurm endpoint the job was submitted to.")
  private String cluster;

  @JsonPropertyDescription("Slurm job id.")
  private Long jobId;

  @JsonPropertyDescription(
      "Slurm job state, e.g. PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT.")
  private String state;

  @JsonPropertyDescription(
      "Slurm's reason for the state, e.g. Resources, Priority, NonZeroExitCode, TimeLimit.")
  private String reason;

  @JsonPropertyDescription("Nodes the job runs on, as a Slurm host list.")
  private String nodes;

  @JsonPropertyDescription("Node that runs the batch script and the Dask scheduler (rank 0).")
  private String batchHost;

  @JsonPropertyDescription("When Slurm accepted the job (RFC 3339).")
  private String submitTime;

  @JsonPropertyDescription("When the job started (RFC 3339).")
  private String startTime;

  @JsonPropertyDescription("When the job ended (RFC 3339).")
  private String endTime;

  @JsonPropertyDescription(
      "Exit code of the batch script, which is the client script's; set when the job has ended.")
  private Integer exitCode;

  @JsonPropertyDescription("Signal that ended the batch script, if one did.")
  private Integer signal;

  @JsonPropertyDescription("Path of the job's output file on the cluster.")
  private String outputFile;

  public String getCluster() {
    return cluster;
  }

  public void setCluster(String cluster) {
    this.cluster = cluster;
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

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getNodes() {
    return nodes;
  }

  public void setNodes(String nodes) {
    this.nodes = nodes;
  }

  public String getBatchHost() {
    return batchHost;
  }

  public void setBatchHost(String batchHost) {
    this.batchHost = batchHost;
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

  public Integer getExitCode() {
    return exitCode;
  }

  public void setExitCode(Integer exitCode) {
    this.exitCode = exitCode;
  }

  public Integer getSignal() {
    return signal;
  }

  public void setSignal(Integer signal) {
    this.signal = signal;
  }

  public String getOutputFile() {
    return outputFile;
  }

  public void setOutputFile(String outputFile) {
    this.outputFile = outputFile;
  }
}
