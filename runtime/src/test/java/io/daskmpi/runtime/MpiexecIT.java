package io.daskmpi.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The runtime under MPICH's mpiexec (Hydra) without Slurm, and the bare jar. */
class MpiexecIT {
  private static final Duration LIMIT = Duration.ofMinutes(3);
  private Path dir;

  @BeforeEach
  void directory(TestInfo test) throws IOException {
    dir = LocalSlurm.scriptDirectory(Path.of("/tmp"), test.getTestMethod().orElseThrow().getName());
  }

  @AfterEach
  void removeDirectory() {
    Rendezvous.deleteQuietly(dir);
  }

  private List<String> mpiexec(int ranks, List<String> variables, String script, String... args) {
    List<String> command = new ArrayList<>(List.of("mpiexec.mpich", "-n", Integer.toString(ranks)));
    command.addAll(LocalSlurm.ranks(script, args));
    return LocalSlurm.cleanEnvironment(dir.toString(), variables, command);
  }

  private ProcessRun run(List<String> command) {
    return ProcessRun.run(command, dir, Map.of(), LIMIT);
  }

  @Test
  void threeRanks() {
    ProcessRun run = run(mpiexec(3, List.of(), "sum.py", "1"));

    assertThat(run.exitCode()).as("%s", run).isZero();
    assertThat(run.output())
        .contains("1 client: workers: 1 of 1")
        .contains("1 client: Dask result: 5");
    assertThat(dir.resolve(".dask-mpi"))
        .isDirectoryContaining(p -> p.getFileName().toString().startsWith("hydra-"));
  }

  @Test
  void theClientsExitCodeIsMpiexecsExitCode() {
    ProcessRun run = run(mpiexec(3, List.of(), "fail.py"));

    assertThat(run.exitCode()).as("%s", run).isEqualTo(7);
  }

  @Test
  void sigtermToMpiexecLeavesNoRankProcessBehind() throws Exception {
    ProcessRun.Running running = ProcessRun.start(mpiexec(3, List.of(), "slow.py"), dir, Map.of());
    assertThat(running.awaitOutput("started job", LIMIT)).as(running.outputSoFar()).isTrue();

    // env -i execs mpiexec in place, so this is mpiexec's pid.
    ProcessHandle.of(running.pid()).orElseThrow().destroy();

    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!LocalSlurm.processesIn(dir).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(LocalSlurm.processesIn(dir))
        .extracting(p -> p.info().commandLine().orElse("?"))
        .isEmpty();
    assertThat(running.await(Duration.ofSeconds(30)).exitCode()).isNotZero();
  }

  @Test
  void aLeftoverSchedulerFileNeverConnectsToTheWrongScheduler() throws Exception {
    // A live decoy scheduler, and its file where this launch will look, left by an "earlier run".
    Path decoyFile = dir.resolve("decoy.json");
    ProcessRun.Running decoy =
        ProcessRun.start(
            LocalSlurm.cleanEnvironment(
                dir.toString(),
                List.of(),
                List.of(
                    LocalSlurm.PYTHON,
                    "-m",
                    "distributed.cli.dask_scheduler",
                    "--scheduler-file",
                    decoyFile.toString(),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    "0",
                    "--dashboard-address",
                    ":0")),
            dir,
            Map.of());
    try {
      assertThat(decoy.awaitOutput("Scheduler at:", LIMIT)).as(decoy.outputSoFar()).isTrue();
      Path leftover = dir.resolve(".dask-mpi/fixed-id/scheduler.json");
      Files.createDirectories(leftover.getParent());
      Files.copy(decoyFile, leftover);
      Files.setLastModifiedTime(
          leftover, FileTime.from(Instant.now().minus(Duration.ofMinutes(10))));

      ProcessRun run = run(mpiexec(3, List.of("DASK_MPI_JOB_ID=fixed-id"), "sum.py", "1"));

      assertThat(run.exitCode()).as("%s", run).isZero();
      assertThat(run.output()).contains("1 client: workers: 1 of 1");
      assertThat(decoy.outputSoFar())
          .doesNotContain("Register worker")
          .doesNotContain("Receive client");
    } finally {
      Supervisor.stopTree(ProcessHandle.of(decoy.pid()).orElseThrow(), Duration.ofSeconds(5));
    }
  }

  @Test
  void anUncaughtExceptionIsExitCodeOne() {
    ProcessRun run = run(mpiexec(3, List.of(), "raise.py"));

    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
  }

  @Test
  void withoutALauncherTheJarSaysWhatItNeeds() {
    ProcessRun run =
        run(LocalSlurm.cleanEnvironment(dir.toString(), List.of(), LocalSlurm.ranks("sum.py")));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.elapsed()).isLessThan(Duration.ofSeconds(10));
    assertThat(run.output()).contains("found 1 rank").contains("needs at least 3 ranks");
  }

  @Test
  void help() {
    List<String> command = new ArrayList<>(LocalSlurm.ranks("--help"));
    ProcessRun run = run(command);

    assertThat(run.exitCode()).isZero();
    assertThat(run.output())
        .contains("Usage: java -jar dask-mpi-runtime.jar")
        .contains("DASK_MPI_PYTHON");
  }

  @Test
  void whenTheSchedulerDiesEveryRankEndsPromptly() throws Exception {
    ProcessRun.Running running = ProcessRun.start(mpiexec(4, List.of(), "slow.py"), dir, Map.of());
    assertThat(running.awaitOutput("started job", LIMIT)).as(running.outputSoFar()).isTrue();
    ProcessHandle scheduler =
        LocalSlurm.processesIn(dir).stream()
            .filter(p -> p.info().commandLine().orElse("").contains("dask_scheduler"))
            .findFirst()
            .orElseThrow();

    scheduler.destroyForcibly();
    ProcessRun run = running.await(Duration.ofSeconds(20));

    assertThat(run.exitCode()).as("%s", run).isNotZero();
    assertThat(run.output())
        .contains("0 scheduler: dask-mpi-runtime: error: the scheduler exited with code 137");
    assertThat(LocalSlurm.processesIn(dir)).isEmpty();
  }

  @Test
  void whenNoSchedulerAppearsEveryRankGivesUpAfterTheTimeoutWithAMessage() throws IOException {
    Path python = dir.resolve("hanging-scheduler-python");
    Files.writeString(
        python,
        "#!/bin/sh\n"
            + "# python3, except that the scheduler never comes up\n"
            + "case \"$*\" in *dask_scheduler*) exec sleep 600;; esac\n"
            + "exec "
            + LocalSlurm.PYTHON
            + " \"$@\"\n");
    python.toFile().setExecutable(true, false);
    // env -i takes the last of repeated variables: this python wins over the default one.
    ProcessRun run =
        run(mpiexec(3, List.of("DASK_MPI_TIMEOUT=5", "DASK_MPI_PYTHON=" + python), "sum.py", "1"));

    assertThat(run.exitCode()).as("%s", run).isNotZero();
    // The 5 s count from each rank's start; the rest is JVM and Python start-up on 2 busy cores.
    assertThat(run.elapsed()).isLessThan(Duration.ofSeconds(20));
    assertThat(run.output())
        .contains("0 scheduler: dask-mpi-runtime: error: the scheduler wrote no ")
        // Either "no scheduler after 5 s" or rank 0's report of giving up, whichever comes first.
        .containsPattern(
            "1 client: dask-mpi-runtime: error: (no scheduler after 5 s|the scheduler \\(rank 0\\) exited with code 1)")
        .containsPattern(
            "2 worker: dask-mpi-runtime: error: (no scheduler after 5 s|the scheduler \\(rank 0\\) exited with code 1)");
    assertThat(LocalSlurm.processesIn(dir)).isEmpty();
  }

  @Test
  void aScriptThatShutsTheClusterDownItselfStillEndsCleanly() {
    ProcessRun run = run(mpiexec(3, List.of(), "closing.py"));

    assertThat(run.exitCode()).as("%s", run).isZero();
    assertThat(run.elapsed()).isLessThan(Duration.ofSeconds(30));
    assertThat(run.output())
        .contains("1 client: Dask result: 5")
        .contains("1 client: closed")
        .doesNotContain("dask-mpi-runtime: error")
        .doesNotContain("dask-mpi-runtime: stopping");
  }

  @Test
  void theDaskMpiStandInSaysWhereItBelongsOutsideTheRuntime() {
    Path python = dir.resolve("python");
    ClientRank.extractPython(python);

    ProcessRun run =
        run(
            LocalSlurm.cleanEnvironment(
                dir.toString(),
                List.of("PYTHONPATH=" + python),
                List.of(
                    LocalSlurm.PYTHON,
                    "-c",
                    "import dask_mpi; print(dask_mpi.__version__); dask_mpi.initialize()")));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.output())
        .contains("+dask-mpi-runtime")
        .contains("RuntimeError: dask_mpi.initialize(): no DASK_SCHEDULER_ADDRESS");
  }
}
