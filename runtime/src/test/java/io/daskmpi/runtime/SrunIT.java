package io.daskmpi.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The runtime under real srun on the local Slurm, with Debian's Dask. */
class SrunIT {
  private static final Duration LIMIT = Duration.ofMinutes(3);
  private static LocalSlurm slurm;
  private Path dir;

  @BeforeAll
  static void slurm() {
    slurm = LocalSlurm.find();
  }

  @BeforeEach
  void directory(TestInfo test) {
    dir = slurm.workDirectory(test.getTestMethod().orElseThrow().getName());
  }

  @AfterEach
  void removeDirectory() {
    Rendezvous.deleteQuietly(dir);
  }

  private ProcessRun srun(List<String> options, String script, String... args) {
    return ProcessRun.run(slurm.srun(options, script, args), dir, Map.of(), LIMIT);
  }

  @ParameterizedTest(name = "srun --mpi={0} -n 3")
  @ValueSource(strings = {"none", "pmi2", "pmix"})
  void threeRanksRunADaskMpiScriptUnmodified(String mpi) {
    ProcessRun run = srun(List.of("--mpi=" + mpi, "-n", "3"), "sum.py", "1");

    assertThat(run.exitCode()).as("%s", run).isZero();
    assertThat(run.output())
        .contains("1 client: workers: 1 of 1")
        .contains("1 client: Dask result: 5")
        .contains("1 client: sum of squares: 285")
        .contains("0 scheduler: ")
        .contains("2 worker: ")
        .doesNotContain("error")
        .doesNotContain("Traceback")
        .doesNotContain(" - ERROR - ");
  }

  @Test
  void fiveRanksWaitForAllThreeWorkers() {
    ProcessRun run = srun(List.of("-n", "5"), "sum.py", "3");

    assertThat(run.exitCode()).as("%s", run).isZero();
    assertThat(run.output())
        .contains("1 client: workers: 3 of 3")
        .contains("1 client: Dask result: 5")
        .contains("4 worker: ");
  }

  @Test
  void theClientsExitCodeIsTheLaunchsExitCode() {
    ProcessRun run = srun(List.of("-n", "3"), "fail.py");

    assertThat(run.exitCode()).as("%s", run).isEqualTo(7);
    assertThat(run.output()).contains("1 client: Dask result: 5");
  }

  @Test
  void killOnBadExitStillReportsTheClientsCodeNot143() {
    // The batch template's safety net: srun SIGTERMs the other ranks when the client fails.
    ProcessRun run = srun(List.of("--kill-on-bad-exit=1", "-n", "3"), "fail.py");

    assertThat(run.exitCode()).as("%s", run).isEqualTo(7);
  }

  @Test
  void anUncaughtExceptionIsExitCodeOne() {
    ProcessRun run = srun(List.of("-n", "3"), "raise.py");

    assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
    assertThat(run.output()).contains("1 client: ZeroDivisionError");
  }

  @Test
  void twoRanksFailAtOnceWithTheReason() {
    ProcessRun run = srun(List.of("-n", "2"), "sum.py", "0");

    assertThat(run.exitCode()).as("%s", run).isNotZero();
    assertThat(run.elapsed()).isLessThan(Duration.ofSeconds(10));
    assertThat(run.output())
        .contains("found 2 ranks")
        .contains("Dask-MPI needs at least 3 ranks")
        .contains("at least one worker");
  }

  @Test
  void scancelLeavesNoRankProcessBehind() throws Exception {
    ProcessRun.Running running =
        ProcessRun.start(slurm.srun(List.of("-n", "3"), "slow.py"), dir, Map.of());
    assertThat(running.awaitOutput("started job ", LIMIT)).as(running.outputSoFar()).isTrue();
    Matcher job = Pattern.compile("started job (\\d+)").matcher(running.outputSoFar());
    assertThat(job.find()).isTrue();
    assertThat(LocalSlurm.processesIn(dir)).hasSizeGreaterThanOrEqualTo(6); // 3 JVMs, 3 Pythons

    ProcessRun scancel =
        ProcessRun.run(
            slurm.asJobUser(List.of("scancel", job.group(1))),
            dir,
            Map.of(),
            Duration.ofSeconds(30));
    assertThat(scancel.exitCode()).as("%s", scancel).isZero();

    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!LocalSlurm.processesIn(dir).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(LocalSlurm.processesIn(dir))
        .as("rank processes 15 s after scancel")
        .extracting(p -> p.info().commandLine().orElse("?"))
        .isEmpty();
    ProcessRun srun = running.await(Duration.ofSeconds(30));
    assertThat(srun.exitCode()).as("%s", srun).isNotZero();
  }

  @Test
  void twoJobsInOneDirectoryAtOnceDoNotCrossConnect() throws Exception {
    ProcessRun.Running a =
        ProcessRun.start(slurm.srun(List.of("-n", "3"), "pair.py", "a", "b"), dir, Map.of());
    ProcessRun.Running b =
        ProcessRun.start(slurm.srun(List.of("-n", "3"), "pair.py", "b", "a"), dir, Map.of());
    ProcessRun runA = a.await(LIMIT);
    ProcessRun runB = b.await(LIMIT);

    assertThat(runA.exitCode()).as("%s", runA).isZero();
    assertThat(runB.exitCode()).as("%s", runB).isZero();
    Pattern line =
        Pattern.compile(
            "launch (\\w) job (\\d+) overlapped (\\w+) scheduler (\\S+) worker-jobs (\\S+)");
    Matcher ma = line.matcher(runA.output());
    Matcher mb = line.matcher(runB.output());
    assertThat(ma.find()).as(runA.output()).isTrue();
    assertThat(mb.find()).as(runB.output()).isTrue();
    assertThat(ma.group(3)).as("both clusters were up at once").isEqualTo("True");
    assertThat(mb.group(3)).isEqualTo("True");
    assertThat(ma.group(2)).isNotEqualTo(mb.group(2));
    assertThat(ma.group(4)).as("different schedulers").isNotEqualTo(mb.group(4));
    assertThat(ma.group(5)).as("job a's only worker is job a's").isEqualTo(ma.group(2));
    assertThat(mb.group(5)).as("job b's only worker is job b's").isEqualTo(mb.group(2));
    try (var launches = Files.list(dir.resolve(".dask-mpi"))) {
      assertThat(launches.map(p -> p.getFileName().toString()).toList())
          .hasSize(2)
          .allMatch(name -> name.startsWith("slurm-"));
    }
  }

  @Test
  void mpiexecInsideABatchJobWhereEveryRankInheritsProcidZero() throws Exception {
    String ranks = String.join(" ", LocalSlurm.ranks("sum.py", "1"));
    ProcessRun sbatch =
        ProcessRun.run(
            slurm.asJobUser(
                List.of(
                    "sbatch",
                    "--wait",
                    "-n",
                    "3",
                    "-o",
                    "batch.out",
                    "--wrap",
                    "mpiexec.mpich -n 3 " + ranks + "; echo mpiexec-exit=$?")),
            dir,
            Map.of(),
            LIMIT);

    String output = Files.readString(dir.resolve("batch.out"));
    assertThat(sbatch.exitCode()).as("%s\n%s", sbatch, output).isZero();
    assertThat(output)
        .contains("1 client: workers: 1 of 1")
        .contains("1 client: Dask result: 5")
        .contains("mpiexec-exit=0");
    try (var launches = Files.list(dir.resolve(".dask-mpi"))) {
      assertThat(launches.map(p -> p.getFileName().toString()).toList())
          .singleElement()
          .asString()
          .startsWith("hydra-");
    }
  }
}
