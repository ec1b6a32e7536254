package io.daskmpi.runtime;

/** Which launcher started the ranks, as far as its environment variables tell. */
enum Launcher {
  SRUN("srun"),
  SRUN_PMI2("srun --mpi=pmi2"),
  SRUN_PMIX("srun --mpi=pmix"),
  HYDRA("mpiexec (Hydra: MPICH, Intel MPI)"),
  OPEN_MPI("mpiexec (Open MPI)"),
  PMIX("a PMIx launcher");

  private final String description;

  Launcher(String description) {
    this.description = description;
  }

  String description() {
    return description;
  }

  boolean isSlurmStep() {
    return this == SRUN || this == SRUN_PMI2 || this == SRUN_PMIX;
  }
}
