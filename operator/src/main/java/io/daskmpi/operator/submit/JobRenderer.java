package io.daskmpi.operator.submit;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobSpec;
import io.daskmpi.operator.api.v1alpha1.EnvVar;
import io.daskmpi.operator.slurm.JobSubmission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a valid DaskMpiJob spec into the Slurm job to submit. Pure: no I/O, no clock. */
public final class JobRenderer {
  private final RenderSettings settings;

  public JobRenderer(RenderSettings settings) {
    this.settings = settings;
  }

  /**
   * @throws InvalidSpecException when the spec has problems (all of them are listed)
   */
  public JobSubmission render(JobIdentity id, DaskMpiJobSpec spec) {
    List<SpecProblem> problems = SpecValidator.validate(spec);
    if (problems.isEmpty()) {
      problems = settings.roots().check(spec);
    }
    if (!problems.isEmpty()) {
      throw new InvalidSpecException(problems);
    }
    RankLayout layout = RankLayout.of(spec);
    String workDir = spec.getWorkingDirectory();
    String script = BatchScript.render(id, spec, layout, settings);
    JobSubmission.Builder job =
        JobSubmission.builder(id.jobName(), script, layout.allocatedTasks(), workDir)
            .comment(id.tag())
            .nodes(layout.nodes())
            .tasksPerNode(layout.tasksPerNode())
            .exclusive(layout.exclusive())
            .standardOutput(workDir.replaceAll("/+$", "") + "/" + outputName(id) + "-%j.out")
            .env(environment(spec));
    if (spec.getResources() != null) {
      job.cpusPerTask(spec.getResources().getCpusPerRank());
      String memory = spec.getResources().getMemoryPerCpu();
      if (memory != null && !memory.isEmpty()) {
        job.memoryPerCpuMiB(MemorySize.mebibytes(memory));
      }
    }
    job.timeLimitMinutes(TimeLimit.ofSpec(spec.getTimeLimit()));
    if (spec.getSlurm() != null) {
      job.partition(emptyToNull(spec.getSlurm().getPartition()))
          .account(emptyToNull(spec.getSlurm().getAccount()))
          .qos(emptyToNull(spec.getSlurm().getQos()))
          .reservation(emptyToNull(spec.getSlurm().getReservation()))
          .constraints(emptyToNull(spec.getSlurm().getConstraints()));
    }
    // Always explicit: the site's default (JobRequeue) must not decide whether a script reruns.
    job.requeue(spec.getSlurm() != null && spec.getSlurm().requeues());
    return job.build();
  }

  /** Output file name stem; resource names are DNS names, so this is a plain file name. */
  static String outputName(JobIdentity id) {
    return id.name();
  }

  private Map<String, String> environment(DaskMpiJobSpec spec) {
    // slurmrestd passes the job no environment of its own: PATH must come from here.
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", settings.defaultPath());
    env.put("LANG", "C.UTF-8");
    for (EnvVar v : spec.getEnv() == null ? List.<EnvVar>of() : spec.getEnv()) {
      env.put(v.getName(), v.getValue() == null ? "" : v.getValue());
    }
    return env;
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
