package io.daskmpi.runtime;

import java.util.Arrays;
import java.util.Optional;

/**
 * The runtime's options. Each can be given on the command line or once for the whole job through
 * its environment variable; the command line wins.
 */
enum Option {
  PYTHON("python", "PATH", "python3", "Python interpreter with dask and distributed"),
  RENDEZVOUS_DIR(
      "rendezvous-dir",
      "DIR",
      ".dask-mpi",
      "directory all ranks can see (shared on multi-node jobs); each launch meets in its own"
          + " subdirectory"),
  TIMEOUT(
      "timeout",
      "SECONDS",
      "60",
      "how long ranks wait for the scheduler, and the client for every worker"),
  THREADS_PER_WORKER("threads-per-worker", "N", "1", "threads per Dask worker"),
  MEMORY_LIMIT("memory-limit", "LIMIT", "auto", "memory limit per worker, e.g. 4GB, 0.5 or auto"),
  LOCAL_DIRECTORY(
      "local-directory", "DIR", null, "workers' scratch directory (default: Dask's, under TMPDIR)"),
  DASHBOARD_ADDRESS(
      "dashboard-address",
      "ADDRESS",
      ":8787",
      "scheduler dashboard; if the port is taken Dask picks another and the client rank prints it"),
  INTERFACE(
      "interface",
      "NAME",
      null,
      "network interface for scheduler and workers, e.g. ib0 (default: the rank-0 host name)"),
  SCHEDULER_PORT("scheduler-port", "PORT", "0", "scheduler port; 0 picks a free one"),
  NANNY("nanny", null, "false", "run each worker under a nanny (restarts; slower to stop)"),
  LABEL("label", null, "true", "prefix every output line with rank and role"),
  TLS(
      "tls",
      null,
      "true",
      "a private cluster: scheduler, workers and client speak TLS with a key made for this launch,"
          + " readable by the job's user only; connections without it are refused"),
  JOB_ID(
      "job-id",
      "ID",
      null,
      "name of this launch's rendezvous (default: from SLURM_JOB_ID.SLURM_STEP_ID or the MPI"
          + " launcher)");

  private final String name;
  private final String argument;
  private final String defaultValue;
  private final String help;

  Option(String name, String argument, String defaultValue, String help) {
    this.name = name;
    this.argument = argument;
    this.defaultValue = defaultValue;
    this.help = help;
  }

  /** Long option name without dashes. */
  String optionName() {
    return name;
  }

  /** Null for on/off flags ({@code --nanny} / {@code --no-nanny}). */
  String argument() {
    return argument;
  }

  boolean isFlag() {
    return argument == null;
  }

  String defaultValue() {
    return defaultValue;
  }

  String help() {
    return help;
  }

  String environmentVariable() {
    return "DASK_MPI_" + name();
  }

  static Optional<Option> byName(String name) {
    return Arrays.stream(values()).filter(option -> option.name.equals(name)).findFirst();
  }
}
