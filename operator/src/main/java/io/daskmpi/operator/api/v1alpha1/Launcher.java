package io.daskmpi.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What each rank runs under srun. */
public enum Launcher {
  /**
   * The rank-role runtime (the image's runscript, or the configured runtime command): rank 0 the
   * scheduler, rank 1 the script, ranks 2+ workers, with the job's Dask options.
   */
  @JsonProperty("runtime")
  RUNTIME,
  /**
   * The script itself on every rank, as {@code srun [--mpi=...] apptainer run IMAGE SCRIPT ARGS}:
   * for images that bring their own dask-mpi and mpi4py, whose runscript runs Python.
   */
  @JsonProperty("script")
  SCRIPT
}
