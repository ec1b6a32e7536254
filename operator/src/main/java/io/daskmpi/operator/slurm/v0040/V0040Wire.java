package io.daskmpi.operator.slurm.v0040;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.daskmpi.operator.slurm.http.Problem;
import java.util.List;

/**
 * Wire types of REST API v0.0.40 to v0.0.45 (data_parser plugins, Slurm 23.11 onwards). The fields
 * this client reads and writes have the same shape in all of them; the differences (ping fields,
 * {@code stdout_expanded}, the kill answer's {@code status[]}) are optional fields here.
 */
final class V0040Wire {
  private V0040Wire() {}

  record SubmitRequest(JobDesc job) {}

  /** {@code job_desc_msg}. Numbers go as no_val structs: v0.0.40 warns about plain integers. */
  record JobDesc(
      String script,
      String name,
      String comment,
      Integer tasks,
      @JsonProperty("cpus_per_task") Integer cpusPerTask,
      @JsonProperty("memory_per_cpu") NoValNumber memoryPerCpu,
      @JsonProperty("time_limit") NoValNumber timeLimit,
      @JsonProperty("minimum_nodes") Integer minimumNodes,
      @JsonProperty("maximum_nodes") Integer maximumNodes,
      @JsonProperty("tasks_per_node") Integer tasksPerNode,
      // ["none"] is sbatch --exclusive; v0.0.42+ no longer has the "exclusive" field.
      List<String> shared,
      String partition,
      String account,
      String qos,
      String reservation,
      String constraints,
      @JsonProperty("current_working_directory") String currentWorkingDirectory,
      @JsonProperty("standard_output") String standardOutput,
      @JsonProperty("standard_error") String standardError,
      List<String> environment,
      Boolean hold,
      Boolean requeue) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record SubmitResponse(
      @JsonProperty("job_id") Long jobId, List<Problem> errors, List<Problem> warnings) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record JobsResponse(
      List<Job> jobs,
      @JsonProperty("last_update") NoValNumber lastUpdate,
      List<Problem> errors,
      List<Problem> warnings) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Job(
      @JsonProperty("job_id") long jobId,
      String name,
      String comment,
      @JsonProperty("job_state") List<String> jobState,
      @JsonProperty("state_reason") String stateReason,
      String nodes,
      @JsonProperty("batch_host") String batchHost,
      @JsonProperty("submit_time") NoValNumber submitTime,
      @JsonProperty("start_time") NoValNumber startTime,
      @JsonProperty("end_time") NoValNumber endTime,
      @JsonProperty("exit_code") ExitCode exitCode,
      @JsonProperty("current_working_directory") String currentWorkingDirectory,
      @JsonProperty("standard_output") String standardOutput,
      @JsonProperty("stdout_expanded") String stdoutExpanded,
      @JsonProperty("user_name") String userName,
      String partition,
      String account,
      String qos,
      @JsonProperty("resv_name") String reservation,
      @JsonProperty("time_limit") NoValNumber timeLimit) {}

  /** A job update ({@code POST /job/{id}}): the {@code job_desc_msg} fields that change. */
  record JobUpdate(
      Boolean hold,
      @JsonProperty("time_limit") NoValNumber timeLimit,
      String partition,
      String account,
      String qos,
      String reservation) {}

  /** {@code process_exit_code_verbose}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record ExitCode(
      List<String> status, @JsonProperty("return_code") NoValNumber returnCode, Signal signal) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Signal(NoValNumber id, String name) {}

  /**
   * {@code GET /jobs/state/}: the spec of 24.05+ declares a job_info answer, but the handler sends
   * this, with {@code job_id} a string ({@code "1234"}, {@code "1234_[1-3]"}, {@code "1234+0"}).
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record StatesResponse(List<JobStateEntry> jobs, List<Problem> errors, List<Problem> warnings) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record JobStateEntry(@JsonProperty("job_id") String jobId, List<String> state) {}

  /** The answer of slurmdbd's {@code /slurmdb/vX/job/{id}} and {@code /jobs/}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record HistoryResponse(List<HistoryJob> jobs, List<Problem> errors, List<Problem> warnings) {}

  /** slurmdbd's job record: other names and shapes than slurmctld's; times are plain numbers. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record HistoryJob(
      @JsonProperty("job_id") long jobId,
      String name,
      Comment comment,
      HistoryState state,
      HistoryTime time,
      @JsonProperty("exit_code") ExitCode exitCode,
      String nodes,
      @JsonProperty("working_directory") String workingDirectory,
      @JsonProperty("stdout_expanded") String stdoutExpanded,
      String user) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Comment(String job) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record HistoryState(List<String> current, String reason) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record HistoryTime(Long submission, Long start, Long end) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record PingResponse(List<Ping> pings, Meta meta, List<Problem> errors, List<Problem> warnings) {}

  /**
   * v0.0.40/41 say {@code pinged: "UP"}; v0.0.42 adds {@code responding}; v0.0.45 drops {@code
   * pinged}.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Ping(String hostname, String pinged, Boolean responding, Boolean primary, String mode) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Meta(SlurmMeta slurm) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record SlurmMeta(String release) {}

  /** The answer to DELETE /job/{id}; {@code status[]} exists from v0.0.42. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record KillResponse(List<KillStatus> status, List<Problem> errors, List<Problem> warnings) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record KillStatus(KillError error, @JsonProperty("step_id") String stepId) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record KillError(Integer code, String string, String message) {}
}
