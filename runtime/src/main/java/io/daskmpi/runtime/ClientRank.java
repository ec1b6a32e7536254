package io.daskmpi.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Rank 1: runs the user's script through the client launcher module ({@code
 * dask_mpi_runtime_client.py}), which waits for every worker, runs the script, records its exit
 * code and shuts the cluster down. The rank exits with the script's exit code.
 */
final class ClientRank {
  /** The launcher closes the script's clients and shuts the scheduler down, 10 s bounded each. */
  private static final Duration CLIENT_GRACE = Duration.ofSeconds(25);

  private static final String RESOURCES = "/io/daskmpi/runtime/python/";
  private static final List<String> PYTHON_FILES =
      List.of("dask_mpi_runtime_client.py", "dask_mpi/__init__.py");

  private final Launch launch;

  ClientRank(Launch launch) {
    this.launch = launch;
  }

  int run() {
    Rendezvous rendezvous = launch.rendezvous();
    Supervisor supervisor = launch.supervisor();
    Path python = rendezvous.directory().resolve("python");
    supervisor.onSignal(() -> rendezvous.clientExit().orElse(143));
    int code;
    try {
      extractPython(python);
      supervisor.start(launch.commands().client(), launch.childEnvironment(environment(python)));
      SchedulerFile scheduler = launch.awaitScheduler();
      launch
          .console()
          .info(
              "scheduler "
                  + scheduler.address()
                  + scheduler.dashboardUrl().map(url -> ", dashboard " + url).orElse("")
                  + "; waiting for "
                  + launch.rank().workers()
                  + " worker(s)");
      code = superviseClient();
    } catch (RuntimeFailure e) {
      launch.console().error(e.getMessage());
      code = e.exitCode();
    }
    // The launcher records the code itself before shutting down; this covers a launcher that died.
    if (rendezvous.clientExit().isEmpty()) {
      rendezvous.recordClientExit(code);
    }
    Rendezvous.deleteQuietly(python);
    return code;
  }

  private int superviseClient() {
    Supervisor supervisor = launch.supervisor();
    Rendezvous rendezvous = launch.rendezvous();
    while (true) {
      OptionalInt code = supervisor.waitFor(Launch.POLL);
      if (code.isPresent()) {
        return ExitRule.client(code.getAsInt(), rendezvous.clientExit()).exitCode();
      }
      OptionalInt recorded = rendezvous.clientExit();
      OptionalInt scheduler = rendezvous.schedulerExit();
      boolean schedulerFailed = scheduler.isPresent() && scheduler.getAsInt() != 0;
      if (recorded.isPresent()) {
        // The script is done and the launcher is shutting the cluster down: bounded, and no
        // waiting at all for a scheduler that is already gone.
        int ended =
            schedulerFailed
                ? supervisor.stop(Supervisor.ORPHAN_GRACE)
                : supervisor.awaitOrStop(CLIENT_GRACE);
        return ExitRule.client(ended, recorded).exitCode();
      }
      if (schedulerFailed) {
        supervisor.stop(Supervisor.ORPHAN_GRACE);
        throw new RuntimeFailure(
            RuntimeFailure.FAILED,
            "the scheduler (rank 0) exited with code "
                + scheduler.getAsInt()
                + " while the client script was running");
      }
    }
  }

  private Map<String, String> environment(Path python) {
    String path = launch.environment().get("PYTHONPATH");
    return Map.of(
        "PYTHONPATH",
        path == null || path.isEmpty() ? python.toString() : python + ":" + path,
        "DASK_MPI_WORKERS",
        Integer.toString(launch.rank().workers()),
        "DASK_MPI_TIMEOUT",
        Double.toString(launch.options().timeout().toMillis() / 1000.0),
        "DASK_MPI_CLIENT_EXIT_FILE",
        launch.rendezvous().clientExitFile().toString());
  }

  /** The launcher and the dask_mpi stand-in, from the jar into this launch's directory. */
  static void extractPython(Path target) {
    try {
      for (String file : PYTHON_FILES) {
        Path destination = target.resolve(file);
        Files.createDirectories(destination.getParent());
        try (InputStream in = ClientRank.class.getResourceAsStream(RESOURCES + file)) {
          if (in == null) {
            throw new IOException("resource " + RESOURCES + file + " missing from the jar");
          }
          Files.copy(in, destination, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new RuntimeFailure(
          RuntimeFailure.FAILED, "cannot write the client's Python files to " + target + ": " + e);
    }
  }
}
