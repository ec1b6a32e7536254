package io.daskmpi.operator.slurm.v0038;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.daskmpi.operator.slurm.http.Problem;
import java.util.List;
import java.util.Map;

/** Wire types of REST API v0.0.38 (Slurm 22.05 to 23.11), as far as this client uses them. */
final class V0038Wire {
  private V0038Wire() {}

  /** {@code v0.0.38_job_submission}: the script sits beside the job, not inside it. */
  record SubmitRequest(String script, JobProperties job) {}

  /**
   * {@code v0.0.38_job_properties}. v0.0.38 rejects unknown keys, so only fields of its schema
   * appear, and nulls are left out.
   */
  record JobProperties(
      String name,
      String comment,
      Integer tasks,
      @JsonProperty("cpus_per_task") Integer cpusPerTask,
      @JsonProperty("memory_per_cpu") Long memoryPerCpu,
      @JsonProperty("time_limit") Integer timeLimit,
      List<Integer> nodes,
      @JsonProperty("tasks_per_node") Integer tasksPerNode,
      // sbatch --exclusive is "exclusive": 22.05 refuses its schema's own "true"
      // (seen on the real slurmrestd, SlurmContractIT).
      String exclusive,
      String partition,
      String account,
      String qos,
      String reservation,
      String constraints,
      @JsonProperty("current_working_directory") String currentWorkingDirectory,
      @JsonProperty("standard_output") String standardOutput,
      @JsonProperty("standard_error") String standardError,
      Map<String, String> environment,
      Boolean hold,
      Boolean requeue) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record SubmitResponse(@JsonProperty("job_id") Long jobId, List<Problem> errors) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record JobsResponse(List<Job> jobs, List<Problem> errors) {}

  /** {@code v0.0.38_job_response_properties}: times are epoch seconds, 0 when unset. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Job(
      @JsonProperty("job_id") long jobId,
      String name,
      String comment,
      @JsonProperty("job_state") String jobState,
      @JsonProperty("state_reason") String stateReason,
      String nodes,
      @JsonProperty("batch_host") String batchHost,
      @JsonProperty("submit_time") Long submitTime,
      @JsonProperty("start_time") Long startTime,
      @JsonProperty("end_time") Long endTime,
      @JsonProperty("exit_code") Long exitCode,
      @JsonProperty("current_working_directory") String currentWorkingDirectory,
      @JsonProperty("standard_output") String standardOutput,
      @JsonProperty("user_name") String userName,
      String partition,
      String account,
      String qos,
      @JsonProperty("resv_name") String reservation,
      @JsonProperty("time_limit") Long timeLimit) {}

  /** A job update ({@code POST /job/{id}}): the job properties that change, nothing else. */
  record JobUpdate(
      Boolean hold,
      @JsonProperty("time_limit") Integer timeLimit,
      String partition,
      String account,
      String qos,
      String reservation) {}

  /** The answer of {@code /slurmdb/v0.0.38/job/{id}} and {@code /jobs/} (plugin dbv0.0.38). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record HistoryResponse(List<HistoryJob> jobs, List<Problem> errors) {}

  /**
   * {@code dbv0.0.38_job}: slurmdbd's record, with other names and shapes than slurmctld's. Its
   * {@code exit_code} is left out: 22.05 reports 0 for every job.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record HistoryJob(
      @JsonProperty("job_id") long jobId,
      String name,
      Comment comment,
      HistoryState state,
      HistoryTime time,
      String nodes,
      @JsonProperty("working_directory") String workingDirectory,
      String user) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Comment(String job) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record HistoryState(String current, String reason) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record HistoryTime(Long submission, Long start, Long end) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record PingResponse(List<Ping> pings, Meta meta, List<Problem> errors) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Ping(String hostname, String ping, String mode) {}

  /** v0.0.38 spells it {@code Slurm}, capitalised; later versions {@code slurm}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Meta(@JsonProperty("Slurm") SlurmMeta slurm) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record SlurmMeta(String release) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  record Answer(List<Problem> errors) {}
}
