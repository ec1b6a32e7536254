package io.daskmpi.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command lines of the three Dask processes. {@code python -m distributed.cli...} rather than
 * the {@code dask scheduler} entry points: same code, no deprecation warning, and no dependency on
 * where pip or conda put the scripts.
 *
 * <p>Workers and the client start at once, in parallel with the scheduler, and import distributed
 * (~0.7 s of CPU) while it comes up; they read the scheduler's address from stdin once the runtime
 * has found this launch's scheduler file. That keeps the stale-file guard in one place (Java) and
 * costs no extra Python start.
 */
record DaskCommands(RuntimeOptions options) {
  /** The client launcher module shipped with the runtime (see {@code ClientRank}). */
  static final String CLIENT_MODULE = "dask_mpi_runtime_client";

  /** Names the runtime's PID for {@link #DIE_WITH_THE_RUNTIME}. */
  static final String RUNTIME_PID_VARIABLE = "DASK_MPI_RUNTIME_PID";

  /**
   * SIGKILL when the rank's JVM dies (PR_SET_PDEATHSIG), and exit at once if it already has: a JVM
   * that crashes or is SIGKILLed cannot stop its child, and the orphan would escape Slurm's process
   * tracking (seen: Apptainer's squashfuse_ll takes SIGTERM with the job's cancel, the JVM then
   * dies of SIGBUS, and its Dask worker lived on). Linux only; elsewhere a no-op. PR_SET_PDEATHSIG
   * follows the direct parent: a --python wrapper that does not exec the interpreter weakens it to
   * the wrapper's death. The start check looks at the runtime's own PID for the same reason.
   */
  static final String DIE_WITH_THE_RUNTIME =
      "import os, signal, sys\n"
          + "try:\n"
          + "    import ctypes\n"
          + "    ctypes.CDLL(None).prctl(1, int(signal.SIGKILL))\n"
          + "except Exception:\n"
          + "    pass\n"
          + "try:\n"
          + "    os.kill(int(os.environ.get('"
          + RUNTIME_PID_VARIABLE
          + "') or 0) or os.getppid(), 0)\n"
          + "except ProcessLookupError:\n"
          + "    sys.exit(1)\n"
          + "except (OSError, ValueError):\n"
          + "    pass\n";

  static final String SCHEDULER_MODULE = "distributed.cli.dask_scheduler";

  // The stock dask scheduler CLI, as `python -m` runs it; the module name stays in argv[1] so the
  // process is recognisable in ps.
  static final String SCHEDULER_BOOTSTRAP =
      DIE_WITH_THE_RUNTIME
          + "from distributed.cli.dask_scheduler import main\n"
          + "main(sys.argv[2:], prog_name='dask scheduler')\n";

  // Reads the address, then runs the stock dask worker CLI; exits 1 quietly if the runtime gave up.
  static final String WORKER_BOOTSTRAP =
      DIE_WITH_THE_RUNTIME
          + "from distributed.cli.dask_worker import main\n"
          + "address = sys.stdin.readline().strip()\n"
          + "if not address:\n"
          + "    sys.exit(1)\n"
          + "main(sys.argv[1:] + [address], prog_name='dask worker')\n";

  /**
   * @param host where the scheduler listens and what it advertises; ignored with --interface
   */
  List<String> scheduler(Path schedulerFile, String host) {
    List<String> command =
        new ArrayList<>(List.of(options.python(), "-c", SCHEDULER_BOOTSTRAP, SCHEDULER_MODULE));
    command.addAll(List.of("--scheduler-file", schedulerFile.toString()));
    if (options.tls()) {
      command.addAll(List.of("--protocol", "tls"));
    }
    command.addAll(List.of("--port", Integer.toString(options.schedulerPort())));
    command.addAll(List.of("--dashboard-address", options.dashboardAddress()));
    if (options.networkInterface().isPresent()) {
      command.addAll(List.of("--interface", options.networkInterface().get()));
    } else {
      command.addAll(List.of("--host", host));
    }
    return command;
  }

  /** The worker of rank {@code rank}; named by its rank, as dask-mpi does. */
  List<String> worker(int rank) {
    List<String> command = new ArrayList<>(List.of(options.python(), "-c", WORKER_BOOTSTRAP));
    command.addAll(List.of("--name", Integer.toString(rank)));
    command.addAll(List.of("--nthreads", Integer.toString(options.threadsPerWorker())));
    command.addAll(List.of("--memory-limit", options.memoryLimit()));
    options.localDirectory().ifPresent(dir -> command.addAll(List.of("--local-directory", dir)));
    options.networkInterface().ifPresent(nic -> command.addAll(List.of("--interface", nic)));
    command.add(options.nanny() ? "--nanny" : "--no-nanny");
    command.add("--no-dashboard");
    // Also covers a scheduler node that vanished without rank 0 being able to say so.
    command.addAll(List.of("--death-timeout", options.timeout().toSeconds() + "s"));
    return command;
  }

  // `python -m dask_mpi_runtime_client`, after the guard; the module name stays in argv[1] for ps.
  static final String CLIENT_BOOTSTRAP =
      DIE_WITH_THE_RUNTIME
          + "import runpy\n"
          + "del sys.argv[0]\n"
          + "runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)\n";

  /** The client: the launcher module runs the user's script, then shuts the cluster down. */
  List<String> client() {
    List<String> command =
        new ArrayList<>(List.of(options.python(), "-c", CLIENT_BOOTSTRAP, CLIENT_MODULE));
    command.add(options.script());
    command.addAll(options.scriptArgs());
    return command;
  }
}
