package io.daskmpi.operator.slurm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A batch job to submit, independent of the REST API version. Optional fields are null when the
 * site's defaults apply.
 *
 * @param name job name
 * @param comment job comment; the operator stores its identity tag here
 * @param script the batch script, starting with a shebang line
 * @param tasks number of tasks (MPI ranks); the allocation must match the {@code srun} size
 * @param cpusPerTask CPUs per task, or null
 * @param memoryPerCpuMiB memory per CPU in MiB, or null
 * @param timeLimitMinutes time limit in minutes, or null for the partition's default
 * @param nodes exact number of nodes, or null to let Slurm choose
 * @param tasksPerNode tasks on each node (with {@code tasks}, the most on a node), or null
 * @param exclusive whole nodes, shared with no other job
 * @param partition partition, or null
 * @param account account, or null
 * @param qos QOS, or null
 * @param reservation reservation, or null
 * @param constraints node feature constraints, or null
 * @param workingDirectory working directory (required by Slurm since 23.11)
 * @param standardOutput output file pattern, or null
 * @param standardError error file pattern, or null
 * @param environment the job's environment; slurmrestd passes nothing else but SLURM_* variables
 * @param hold submit the job held (it waits until released or cancelled)
 * @param requeue whether Slurm may requeue the job after a node failure or preemption, or null for
 *     the site's default (JobRequeue in slurm.conf)
 */
public record JobSubmission(
    String name,
    String comment,
    String script,
    int tasks,
    Integer cpusPerTask,
    Long memoryPerCpuMiB,
    Integer timeLimitMinutes,
    Integer nodes,
    Integer tasksPerNode,
    boolean exclusive,
    String partition,
    String account,
    String qos,
    String reservation,
    String constraints,
    String workingDirectory,
    String standardOutput,
    String standardError,
    Map<String, String> environment,
    boolean hold,
    Boolean requeue) {

  public JobSubmission {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    comment = comment == null ? "" : comment;
    if (tasks < 1) {
      throw new IllegalArgumentException("tasks must be at least 1, got " + tasks);
    }
    if (environment == null || environment.isEmpty()) {
      // Every Slurm version rejects a batch job without an environment (error 2127).
      throw new IllegalArgumentException("environment must not be empty");
    }
    environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment));
  }

  /** A builder, because most submissions set only a few of the optional fields. */
  public static Builder builder(String name, String script, int tasks, String workingDirectory) {
    return new Builder(name, script, tasks, workingDirectory);
  }

  /** Builds a {@link JobSubmission}. */
  public static final class Builder {
    private final String name;
    private final String script;
    private final int tasks;
    private final String workingDirectory;
    private String comment = "";
    private Integer cpusPerTask;
    private Long memoryPerCpuMiB;
    private Integer timeLimitMinutes;
    private Integer nodes;
    private Integer tasksPerNode;
    private boolean exclusive;
    private String partition;
    private String account;
    private String qos;
    private String reservation;
    private String constraints;
    private String standardOutput;
    private String standardError;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private boolean hold;
    private Boolean requeue;

    private Builder(String name, String script, int tasks, String workingDirectory) {
      this.name = name;
      this.script = script;
      this.tasks = tasks;
      this.workingDirectory = workingDirectory;
    }

    public Builder comment(String value) {
      comment = value;
      return this;
    }

    public Builder cpusPerTask(Integer value) {
      cpusPerTask = value;
      return this;
    }

    public Builder memoryPerCpuMiB(Long value) {
      memoryPerCpuMiB = value;
      return this;
    }

    public Builder timeLimitMinutes(Integer value) {
      timeLimitMinutes = value;
      return this;
    }

    public Builder nodes(Integer value) {
      nodes = value;
      return this;
    }

    public Builder tasksPerNode(Integer value) {
      tasksPerNode = value;
      return this;
    }

    public Builder exclusive(boolean value) {
      exclusive = value;
      return this;
    }

    public Builder partition(String value) {
      partition = value;
      return this;
    }

    public Builder account(String value) {
      account = value;
      return this;
    }

    public Builder qos(String value) {
      qos = value;
      return this;
    }

    public Builder reservation(String value) {
      reservation = value;
      return this;
    }

    public Builder constraints(String value) {
      constraints = value;
      return this;
    }

    public Builder standardOutput(String value) {
      standardOutput = value;
      return this;
    }

    public Builder standardError(String value) {
      standardError = value;
      return this;
    }

    public Builder env(String key, String value) {
      environment.put(key, value);
      return this;
    }

    public Builder env(Map<String, String> values) {
      environment.putAll(values);
      return this;
    }

    public Builder hold(boolean value) {
      hold = value;
      return this;
    }

    public Builder requeue(boolean value) {
      requeue = value;
      return this;
    }

    public JobSubmission build() {
      return new JobSubmission(
          name,
          comment,
          script,
          tasks,
          cpusPerTask,
          memoryPerCpuMiB,
          timeLimitMinutes,
          nodes,
          tasksPerNode,
          exclusive,
          partition,
          account,
          qos,
          reservation,
          constraints,
          workingDirectory,
          standardOutput,
          standardError,
          environment,
          hold,
          requeue);
    }
  }
}
