package io.daskmpi.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** What to run: a Dask client script with its scheduler and workers, as one Slurm job. */
@ValidationRule(
    value = "has(self.script) != has(self.inlineScript)",
    message = "exactly one of spec.script and spec.inlineScript must be set")
@ValidationRule(
    value =
        "has(self.image) || (has(self.container) && has(self.container.runtime) && self.container.runtime == 'none')",
    message = "spec.image is required unless spec.container.runtime is none")
@ValidationRule(
    value =
        "!has(self.placement) || !has(self.placement.nodes) || !has(self.placement.ranksPerNode) || (has(self.placement.spread) && self.placement.spread == 'dedicated-head') || self.placement.nodes * self.placement.ranksPerNode >= self.workers + 2",
    message =
        "spec.placement.nodes x spec.placement.ranksPerNode must hold spec.workers + 2 ranks (the scheduler and the client come on top)")
@ValidationRule(
    value =
        "!has(self.placement) || !has(self.placement.spread) || self.placement.spread != 'dedicated-head' || !has(self.placement.ranksPerNode) || !has(self.placement.nodes) || (self.placement.ranksPerNode >= 2 && self.placement.ranksPerNode * (self.placement.nodes - 1) >= self.workers)",
    message =
        "spec.placement.ranksPerNode with spread dedicated-head must be at least 2 (the head node's scheduler and client) and hold spec.workers on the other spec.placement.nodes - 1 nodes")
public class DaskMpiJobSpec {
  @Default("default")
  @Pattern("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
  @JsonPropertyDescription("Name of the configured Slurm endpoint to run on.")
  private String cluster = "default";

  @Size(min = 1, max = 4096)
  @JsonPropertyDescription(
      "Container image every rank runs in: a path to a .sif file on the cluster's shared filesystem (or a URI the runtime accepts, e.g. docker://...). Required unless container.runtime is none.")
  private String image;

  @JsonPropertyDescription("How each rank is started (container runtime, binds, options).")
  private ContainerSpec container = new ContainerSpec();

  @Default("runtime")
  @JsonPropertyDescription(
      "What every rank runs. runtime (the default): the rank-role runtime baked into the image starts the Dask scheduler (rank 0), the script (rank 1) and the workers (ranks 2+), with spec.dask's options. script: srun runs `singularity|apptainer run [binds] [options] IMAGE SCRIPT ARGS` on every rank, the workflow of images that bring their own dask-mpi and mpi4py (a runscript such as `python \"$@\"`); the script's dask_mpi.initialize() starts Dask, so spec.dask.threadsPerWorker and memoryLimit are not passed (give them to initialize), and spec.dask.dashboardPort only tells the operator where the dashboard is. With container.runtime none, script runs `python3 SCRIPT ARGS`.")
  private Launcher launcher = Launcher.RUNTIME;

  @Size(min = 1, max = 4096)
  @ValidationRule(
      value = InputPolicy.PATH_RULE,
      message = "spec.script " + InputPolicy.PARENT_MESSAGE,
      reason = "FieldValueForbidden")
  @JsonPropertyDescription(
      "The Dask client script (rank 1), as a path on the cluster: absolute, or relative to workingDirectory; no '..' segment, and inside the endpoint's allowed roots if it has any. Exactly one of script and inlineScript.")
  private String script;

  @Size(min = 1, max = 262144)
  @JsonPropertyDescription(
      "The Dask client script's text, shipped with the job as a file and never interpreted by a shell. Exactly one of script and inlineScript.")
  private String inlineScript;

  @Size(max = 256)
  @JsonPropertyDescription("Arguments of the client script, passed literally.")
  private List<String> args = new ArrayList<>();

  @Size(max = 256)
  @JsonPropertyDescription(
      "Environment variables of every rank. PATH is /usr/local/bin:/usr/bin:/bin; names the launcher reads are refused (see env.name).")
  private List<EnvVar> env = new ArrayList<>();

  @Required
  @Pattern("^/.*$")
  @Size(max = 4096)
  @ValidationRule(
      value = InputPolicy.PATH_RULE,
      message = "spec.workingDirectory " + InputPolicy.PARENT_MESSAGE,
      reason = "FieldValueForbidden")
  @JsonPropertyDescription(
      "Absolute path of the job's working directory on the cluster's shared filesystem; output files and the Dask rendezvous go here. No '..' segment, and inside the endpoint's allowed roots if it has any.")
  private String workingDirectory;

  @Min(1)
  @Max(4096)
  @Default("1")
  @JsonPropertyDescription(
      "Number of Dask workers. The job runs workers + 2 ranks: the scheduler and the client come on top.")
  private Integer workers = 1;

  @JsonPropertyDescription("Resources of each rank.")
  private ResourcesSpec resources = new ResourcesSpec();

  @JsonPropertyDescription(
      "Where the ranks run: nodes, ranks per node, exclusive nodes, and how ranks are spread over them.")
  private PlacementSpec placement;

  @Pattern(
      "^([0-9]+|[0-9]+:[0-5]?[0-9]|[0-9]+:[0-5]?[0-9]:[0-5]?[0-9]|[0-9]+-[0-9]{1,2}(:[0-5]?[0-9](:[0-5]?[0-9])?)?|[0-9]+[smhd])$")
  @JsonPropertyDescription(
      "Wall-time limit of the job, in a Slurm form (minutes such as 30, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS) or as 30s, 5m, 1h, 2d. Empty for the partition's default.")
  private String timeLimit;

  @JsonPropertyDescription("Slurm placement: partition, account, QOS, reservation, constraints.")
  private SlurmOptions slurm = new SlurmOptions();

  @JsonPropertyDescription("How srun wires the ranks (the --mpi plugin).")
  private MpiSpec mpi = new MpiSpec();

  @JsonPropertyDescription("Dask scheduler and worker options.")
  private DaskOptions dask = new DaskOptions();

  @JsonPropertyDescription(
      "True keeps the job out of Slurm's way (Kueue's suspend): a job created suspended is not submitted; a job waiting in Slurm's queue is held there (scontrol hold) and released when this turns false again. A job that already runs is not stopped: the Suspended condition says so (Slurm's REST API cannot requeue and hold it); delete the resource to stop it.")
  private Boolean suspend;

  @Min(1)
  @JsonPropertyDescription(
      "Seconds from the first submission (time in the queue and suspended included) after which the operator cancels the Slurm job and the resource fails with reason DeadlineExceeded. Empty for no deadline besides the Slurm time limit.")
  private Long activeDeadlineSeconds;

  @Min(0)
  @JsonPropertyDescription(
      "Seconds after the job finished (any final phase) after which the operator deletes this resource. Empty: never (the default, and the GitOps-safe choice: Argo CD and Flux re-create a resource they manage once it is deleted, which would run the job again).")
  private Long ttlSecondsAfterFinished;

  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "How many times a job that ended in a way spec.retryPolicy names is submitted again, each time as a new Slurm job (the same tag with an attempt number). Empty or 0: never. status.attempts lists every attempt.")
  private Integer backoffLimit;

  @JsonPropertyDescription(
      "Which ends are retried (up to spec.backoffLimit): Slurm end states, by default NODE_FAIL, BOOT_FAIL and PREEMPTED, and chosen exit codes of the client script. A cancel, a deadline or an unlisted exit code is never retried.")
  private RetryPolicy retryPolicy;

  public Launcher getLauncher() {
    return launcher;
  }

  public void setLauncher(Launcher launcher) {
    this.launcher = launcher;
  }

  public Long getTtlSecondsAfterFinished() {
    return ttlSecondsAfterFinished;
  }

  public void setTtlSecondsAfterFinished(Long ttlSecondsAfterFinished) {
    this.ttlSecondsAfterFinished = ttlSecondsAfterFinished;
  }

  public Integer getBackoffLimit() {
    return backoffLimit;
  }

  public void setBackoffLimit(Integer backoffLimit) {
    this.backoffLimit = backoffLimit;
  }

  public RetryPolicy getRetryPolicy() {
    return retryPolicy;
  }

  public void setRetryPolicy(RetryPolicy retryPolicy) {
    this.retryPolicy = retryPolicy;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  /** Whether spec.suspend is true. */
  public boolean suspends() {
    return Boolean.TRUE.equals(suspend);
  }

  public Long getActiveDeadlineSeconds() {
    return activeDeadlineSeconds;
  }

  public void setActiveDeadlineSeconds(Long activeDeadlineSeconds) {
    this.activeDeadlineSeconds = activeDeadlineSeconds;
  }

  public String getCluster() {
    return cluster;
  }

  public void setCluster(String cluster) {
    this.cluster = cluster;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public ContainerSpec getContainer() {
    return container;
  }

  public void setContainer(ContainerSpec container) {
    this.container = container;
  }

  public String getScript() {
    return script;
  }

  public void setScript(String script) {
    this.script = script;
  }

  public String getInlineScript() {
    return inlineScript;
  }

  public void setInlineScript(String inlineScript) {
    this.inlineScript = inlineScript;
  }

  public List<String> getArgs() {
    return args;
  }

  public void setArgs(List<String> args) {
    this.args = args;
  }

  public List<EnvVar> getEnv() {
    return env;
  }

  public void setEnv(List<EnvVar> env) {
    this.env = env;
  }

  public String getWorkingDirectory() {
    return workingDirectory;
  }

  public void setWorkingDirectory(String workingDirectory) {
    this.workingDirectory = workingDirectory;
  }

  public Integer getWorkers() {
    return workers;
  }

  public void setWorkers(Integer workers) {
    this.workers = workers;
  }

  public PlacementSpec getPlacement() {
    return placement;
  }

  public void setPlacement(PlacementSpec placement) {
    this.placement = placement;
  }

  public ResourcesSpec getResources() {
    return resources;
  }

  public void setResources(ResourcesSpec resources) {
    this.resources = resources;
  }

  public String getTimeLimit() {
    return timeLimit;
  }

  public void setTimeLimit(String timeLimit) {
    this.timeLimit = timeLimit;
  }

  public SlurmOptions getSlurm() {
    return slurm;
  }

  public void setSlurm(SlurmOptions slurm) {
    this.slurm = slurm;
  }

  public MpiSpec getMpi() {
    return mpi;
  }

  public void setMpi(MpiSpec mpi) {
    this.mpi = mpi;
  }

  public DaskOptions getDask() {
    return dask;
  }

  public void setDask(DaskOptions dask) {
    this.dask = dask;
  }
}
