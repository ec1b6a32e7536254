package io.daskmpi.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.rest.SlurmClients;
import io.daskmpi.operator.testing.LocalSlurm;
import io.daskmpi.operator.testing.ProcessLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code run -f} as a user runs it: the built jar, a real slurmrestd and srun, the runtime jar and
 * Debian's Dask, on every local Slurm version.
 */
class RunCommandIT {
  private static final Path JAR =
      LocalSlurm.repo().resolve("operator/target/dask-mpi-operator.jar");
  private static final Pattern SUBMITTED = Pattern.compile("submitted as Slurm job (\\d+)");

  static List<String> versions() {
    return LocalSlurm.versions();
  }

  @BeforeAll
  static void installRuntime() {
    LocalSlurm.installRuntime();
  }

  /** A running {@code run -f}, its output collected line by line. */
  record Run(Process process, List<String> lines) {
    String output() {
      return String.join("\n", lines);
    }

    int waitFor() throws InterruptedException {
      assertThat(process.waitFor(4, TimeUnit.MINUTES)).as("run -f ended").isTrue();
      // let the reader threads drain what is left
      await().atMost(Duration.ofSeconds(5)).until(() -> !process.isAlive());
      Thread.sleep(200);
      return process.exitValue();
    }
  }

  private static Run start(String version, Path file) throws IOException {
    LocalSlurm slurm = LocalSlurm.of(version);
    ProcessBuilder pb =
        new ProcessBuilder(
            "java", "-jar", JAR.toString(), "run", "-f", file.toString(), "--poll", "0.5");
    pb.environment().putAll(slurm.environment());
    pb.redirectErrorStream(true);
    Process p = pb.start();
    List<String> lines = new CopyOnWriteArrayList<>();
    ProcessLines.follow(p, lines::add, "run-output");
    return new Run(p, lines);
  }

  private static Path job(String name, String inlineScript) throws IOException {
    String yaml =
        String.join(
                "\n",
                "apiVersion: daskmpi.io/v1alpha1",
                "kind: DaskMpiJob",
                "metadata: {name: " + name + "}",
                "spec:",
                "  container: {runtime: none}",
                "  workingDirectory: /home/daskjob",
                "  workers: 1",
                "  timeLimit: \"5\"",
                "  mpi: {plugin: none}",
                "  env: [{name: DASK_MPI_PYTHON, value: /usr/bin/python3}]",
                "  inlineScript: |")
            + "\n"
            + inlineScript.indent(4);
    Path file = Files.createTempFile(name, ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @ParameterizedTest(name = "Slurm {0}")
  @MethodSource("versions")
  void exampleSucceedsAndPrintsTheDaskResult(String version) throws Exception {
    Run run = start(version, LocalSlurm.repo().resolve("examples/dask-example-local.yaml"));
    assertThat(run.waitFor()).as(run.output()).isZero();
    assertThat(run.output())
        .contains("Submitted: submitted as Slurm job")
        .contains("Succeeded: the client script exited 0")
        .contains("output: /home/daskjob/dask-sum-")
        .contains("Dask result: 285");
  }

  @ParameterizedTest(name = "Slurm {0}")
  @MethodSource("versions")
  void clientExitCodeIsTheCommandsExitCode(String version) throws Exception {
    Path file = job("exit-seven", "import dask_mpi, sys\ndask_mpi.initialize()\nsys.exit(7)\n");
    Run run = start(version, file);
    assertThat(run.waitFor()).as(run.output()).isEqualTo(7);
    assertThat(run.output()).contains("Failed:").contains("exit code 7");
  }

  @ParameterizedTest(name = "Slurm {0}")
  @MethodSource("versions")
  void interruptCancelsTheSlurmJob(String version) throws Exception {
    Path file =
        job("interrupted", "import dask_mpi, time\ndask_mpi.initialize()\ntime.sleep(600)\n");
    Run run = start(version, file);
    await().atMost(Duration.ofMinutes(2)).until(() -> run.output().contains("Running:"));
    Matcher m = SUBMITTED.matcher(run.output());
    assertThat(m.find()).isTrue();
    long jobId = Long.parseLong(m.group(1));
    // SIGTERM, not SIGINT: a process started in the background of a non-interactive shell
    // (CI, nohup) inherits SIGINT ignored, and the JVM keeps it so. Both run the same hook.
    new ProcessBuilder("kill", "-TERM", Long.toString(run.process().pid())).start().waitFor();
    run.waitFor();
    assertThat(run.output()).contains("cancelled Slurm job " + jobId);
    var client = SlurmClients.connect(LocalSlurm.of(version).endpoint());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.get(jobId).orElseThrow().isFinished());
    assertThat(client.get(jobId).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
  }
}
