package io.daskmpi.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DaskCommandsTest {

  private static DaskCommands commands(String... args) {
    return new DaskCommands(
        ((RuntimeOptions.Run) RuntimeOptions.parse(List.of(args), Map.of())).options());
  }

  @Test
  void scheduler() {
    assertThat(
            commands("--no-tls", "job.py")
                .scheduler(Path.of("/w/.dask-mpi/x/scheduler.json"), "cn01"))
        .containsExactly(
            "python3",
            "-c",
            DaskCommands.SCHEDULER_BOOTSTRAP,
            "distributed.cli.dask_scheduler",
            "--scheduler-file",
            "/w/.dask-mpi/x/scheduler.json",
            "--port",
            "0",
            "--dashboard-address",
            ":8787",
            "--host",
            "cn01");
  }

  @Test
  void aPrivateClustersSchedulerListensOnTlsByDefault() {
    assertThat(commands("job.py").scheduler(Path.of("s.json"), "cn01"))
        .containsSubsequence("--protocol", "tls");
  }

  @Test
  void schedulerOnAnInterface() {
    List<String> command =
        commands(
                "--interface",
                "ib0",
                "--dashboard-address",
                ":0",
                "--scheduler-port",
                "8786",
                "j.py")
            .scheduler(Path.of("s.json"), "cn01");

    assertThat(command).containsSubsequence("--interface", "ib0").doesNotContain("--host");
    assertThat(command)
        .containsSubsequence("--port", "8786")
        .containsSubsequence("--dashboard-address", ":0");
  }

  @Test
  void worker() {
    List<String> command =
        commands(
                "--python",
                "/usr/bin/python3",
                "--threads-per-worker",
                "2",
                "--memory-limit",
                "2GB",
                "--local-directory",
                "/scratch",
                "--timeout",
                "30",
                "job.py")
            .worker(4);

    assertThat(command.subList(0, 3))
        .containsExactly("/usr/bin/python3", "-c", DaskCommands.WORKER_BOOTSTRAP);
    assertThat(command.subList(3, command.size()))
        .containsExactly(
            "--name",
            "4",
            "--nthreads",
            "2",
            "--memory-limit",
            "2GB",
            "--local-directory",
            "/scratch",
            "--no-nanny",
            "--no-dashboard",
            "--death-timeout",
            "30s");
  }

  @Test
  void workerWithNannyAndInterface() {
    assertThat(commands("--nanny", "--interface", "ib0", "j.py").worker(2))
        .contains("--nanny")
        .doesNotContain("--no-nanny")
        .containsSubsequence("--interface", "ib0");
  }

  @Test
  void everyDaskProcessDiesWithItsRuntime() {
    assertThat(DaskCommands.WORKER_BOOTSTRAP).startsWith(DaskCommands.DIE_WITH_THE_RUNTIME);
    assertThat(DaskCommands.SCHEDULER_BOOTSTRAP)
        .startsWith(DaskCommands.DIE_WITH_THE_RUNTIME)
        .contains("from distributed.cli.dask_scheduler import main");
    assertThat(DaskCommands.DIE_WITH_THE_RUNTIME).contains("prctl(1, ").contains("SIGKILL");
  }

  /** The guard run by python3: exits 1 when the runtime's PID is gone, else goes on. */
  @Test
  void theGuardStopsAProcessWhoseRuntimeIsGone() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    assertThat(runGuard(gone.pid())).isEqualTo("exit 1: ");
    assertThat(runGuard(ProcessHandle.current().pid())).isEqualTo("exit 0: alive");
  }

  private static String runGuard(long runtimePid) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                "/usr/bin/python3", "-c", DaskCommands.DIE_WITH_THE_RUNTIME + "print('alive')\n")
            .redirectErrorStream(true);
    pb.environment().put(DaskCommands.RUNTIME_PID_VARIABLE, Long.toString(runtimePid));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    return "exit " + p.waitFor() + ": " + out;
  }

  @Test
  void workerBootstrapReadsTheAddressThenRunsTheStockCli() {
    assertThat(DaskCommands.WORKER_BOOTSTRAP)
        .contains("from distributed.cli.dask_worker import main")
        .contains("sys.stdin.readline()");
  }

  @Test
  void clientRunsTheScriptThroughTheLauncherModule() {
    assertThat(commands("--python", "py", "job.py", "--n", "3").client())
        .containsExactly(
            "py",
            "-c",
            DaskCommands.CLIENT_BOOTSTRAP,
            "dask_mpi_runtime_client",
            "job.py",
            "--n",
            "3");
    assertThat(DaskCommands.CLIENT_BOOTSTRAP).startsWith(DaskCommands.DIE_WITH_THE_RUNTIME);
  }
}
