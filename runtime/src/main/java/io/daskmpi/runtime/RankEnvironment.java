package io.daskmpi.runtime;

import java.util.Map;
import java.util.Optional;

/**
 * Reads the rank and the number of ranks from the variables a launcher sets, without any MPI
 * library.
 *
 * <p>The order matters: {@code mpiexec} inside a batch job inherits the batch step's {@code
 * SLURM_PROCID=0} on every rank, so the MPI launchers' own variables win over Slurm's. Reading the
 * environment also sidesteps dask-mpi #49, where an MPI library in the container that does not
 * match the host's launcher makes every rank a singleton "rank 0 of 1".
 */
final class RankEnvironment {
  static final String NEEDS =
      "Dask-MPI needs at least "
          + Role.MIN_RANKS
          + " ranks: the scheduler (rank 0), the client script (rank 1) and at least one worker"
          + " (ranks 2 and up). Launch with e.g. `srun -n 3` or `mpiexec -n 3`.";

  private RankEnvironment() {}

  /** The rank of this process, or a {@link RuntimeFailure} saying how many ranks were found. */
  static Rank detect(Map<String, String> env) {
    Rank rank = find(env);
    if (rank.size() < Role.MIN_RANKS) {
      throw new RuntimeFailure(
          RuntimeFailure.USAGE,
          "found "
              + plural(rank.size())
              + " ("
              + rank.launcher().description()
              + ": "
              + rank.source()
              + "). "
              + NEEDS);
    }
    return rank;
  }

  private static Rank find(Map<String, String> env) {
    if (env.containsKey("PMI_RANK")) {
      // srun --mpi=pmi2 sets PMI_JOBID ("<job>.<step>"); Hydra does not.
      Launcher launcher = env.containsKey("PMI_JOBID") ? Launcher.SRUN_PMI2 : Launcher.HYDRA;
      return read(env, launcher, "PMI_RANK", "PMI_SIZE");
    }
    if (env.containsKey("OMPI_COMM_WORLD_RANK")) {
      return read(env, Launcher.OPEN_MPI, "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE");
    }
    if (env.containsKey("PMIX_RANK")) {
      // PMIx hands the size out through its API, not the environment: under srun the step's task
      // count is the size.
      boolean slurm = env.getOrDefault("PMIX_NAMESPACE", "").startsWith("slurm.pmix.");
      Launcher launcher = slurm ? Launcher.SRUN_PMIX : Launcher.PMIX;
      String sizeVariable =
          env.containsKey("SLURM_STEP_NUM_TASKS") ? "SLURM_STEP_NUM_TASKS" : "SLURM_NTASKS";
      return read(env, launcher, "PMIX_RANK", sizeVariable);
    }
    if (env.containsKey("SLURM_PROCID")) {
      if (stepId(env).isEmpty()) {
        throw new RuntimeFailure(
            RuntimeFailure.USAGE,
            "found 1 rank: SLURM_PROCID="
                + env.get("SLURM_PROCID")
                + " belongs to the batch script itself (no SLURM_STEP_ID), not to a job step. "
                + NEEDS);
      }
      return read(env, Launcher.SRUN, "SLURM_PROCID", "SLURM_NTASKS");
    }
    throw new RuntimeFailure(
        RuntimeFailure.USAGE,
        "found 1 rank: none of PMI_RANK, OMPI_COMM_WORLD_RANK, PMIX_RANK or SLURM_PROCID is set,"
            + " so this process was not started by srun or mpiexec. "
            + NEEDS);
  }

  /** The Slurm job step id; {@code SLURM_STEPID} is its older spelling. */
  static Optional<String> stepId(Map<String, String> env) {
    return Optional.ofNullable(env.getOrDefault("SLURM_STEP_ID", env.get("SLURM_STEPID")));
  }

  private static Rank read(
      Map<String, String> env, Launcher launcher, String rankVariable, String sizeVariable) {
    String source = rankVariable + "=" + env.get(rankVariable);
    if (!env.containsKey(sizeVariable)) {
      throw new RuntimeFailure(
          RuntimeFailure.USAGE,
          source + " is set but " + sizeVariable + " is not: cannot tell how many ranks there are");
    }
    source += ", " + sizeVariable + "=" + env.get(sizeVariable);
    int rank = number(env, rankVariable);
    int size = number(env, sizeVariable);
    if (size < 1 || rank < 0 || rank >= size) {
      throw new RuntimeFailure(RuntimeFailure.USAGE, "inconsistent rank variables: " + source);
    }
    return new Rank(rank, size, launcher, source);
  }

  private static int number(Map<String, String> env, String variable) {
    String value = env.get(variable).trim();
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new RuntimeFailure(
          RuntimeFailure.USAGE, variable + "='" + value + "' is not a whole number");
    }
  }

  private static String plural(int ranks) {
    return ranks == 1 ? "1 rank" : ranks + " ranks";
  }
}
