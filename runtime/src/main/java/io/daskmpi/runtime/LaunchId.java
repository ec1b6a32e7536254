package io.daskmpi.runtime;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A name that all ranks of one launch compute alike and no other running launch shares: it names
 * the rendezvous directory, so two jobs in one working directory never meet each other's scheduler.
 *
 * @param value safe as a single path element
 * @param unique false when nothing in the environment told launches apart
 */
record LaunchId(String value, boolean unique) {
  static final String OVERRIDE_VARIABLE = "DASK_MPI_JOB_ID";
  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]+");

  /**
   * @param explicitId {@code --job-id} / {@code DASK_MPI_JOB_ID}, if given
   * @param hydraControlPort "host:port" of the Hydra proxy that started this process, looked up
   *     only for Hydra launches (which put no job id into the environment)
   */
  static LaunchId of(
      Map<String, String> env,
      Launcher launcher,
      Optional<String> explicitId,
      Supplier<Optional<String>> hydraControlPort) {
    if (explicitId.isPresent() && !explicitId.get().isBlank()) {
      return named(explicitId.get());
    }
    Optional<String> found =
        switch (launcher) {
          case SRUN, SRUN_PMI2, SRUN_PMIX -> slurmStep(env);
          case HYDRA -> hydraControlPort.get().map(port -> "hydra-" + port);
          case OPEN_MPI, PMIX ->
              first(env, List.of("PMIX_NAMESPACE", "OMPI_MCA_ess_base_jobid"))
                  .map(id -> "mpi-" + id);
        };
    return found.map(LaunchId::named).orElseGet(() -> new LaunchId("launch", false));
  }

  private static Optional<String> slurmStep(Map<String, String> env) {
    String job = env.get("SLURM_JOB_ID");
    Optional<String> step = RankEnvironment.stepId(env);
    if (job == null || step.isEmpty()) {
      return Optional.empty();
    }
    // Several clusters can share a home directory (job ids are per cluster).
    String cluster = env.get("SLURM_CLUSTER_NAME");
    String prefix = cluster == null || cluster.isBlank() ? "slurm-" : "slurm-" + cluster + "-";
    return Optional.of(prefix + job + "." + step.get());
  }

  private static Optional<String> first(Map<String, String> env, List<String> variables) {
    return variables.stream().map(env::get).filter(v -> v != null && !v.isBlank()).findFirst();
  }

  private static LaunchId named(String raw) {
    String safe = UNSAFE.matcher(raw.trim()).replaceAll("_");
    if (safe.equals(".") || safe.equals("..")) {
      safe = "_";
    }
    return new LaunchId(safe, true);
  }

  /**
   * Hydra's {@code hydra_pmi_proxy} carries the launch's {@code --control-port host:port}, the same
   * on every node and different for every mpiexec running at once. It is the parent of each rank,
   * or a few levels up when a container runtime sits in between.
   */
  static Optional<String> hydraControlPortOfAncestors() {
    Optional<ProcessHandle> process = ProcessHandle.current().parent();
    for (int level = 0; level < 8 && process.isPresent(); level++) {
      Optional<String> port = hydraControlPort(process.get().info().commandLine().orElse(""));
      if (port.isPresent()) {
        return port;
      }
      process = process.get().parent();
    }
    return Optional.empty();
  }

  static Optional<String> hydraControlPort(String commandLine) {
    if (!commandLine.contains("hydra_pmi_proxy")) {
      return Optional.empty();
    }
    String[] words = commandLine.trim().split("\\s+");
    for (int i = 0; i + 1 < words.length; i++) {
      if (words[i].equals("--control-port")) {
        return Optional.of(words[i + 1]);
      }
    }
    return Optional.empty();
  }
}
