package io.daskmpi.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.api.v1alpha1.ContainerRuntime;
import io.daskmpi.operator.api.v1alpha1.ContainerSpec;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobSpec;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.EnvVar;
import io.daskmpi.operator.api.v1alpha1.Launcher;
import io.daskmpi.operator.api.v1alpha1.MpiSpec;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.submit.JobIdentity;
import io.daskmpi.operator.testing.DrivenResource;
import io.daskmpi.operator.testing.LocalSlurm;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code launcher: script}: srun runs the script itself on every rank, as the seed's workflow does
 * with an image that brings its own MPI. A script that reads its rank through MPICH under {@code
 * --mpi=pmi2} prints one line per rank; the ranks agree on their sum through an allreduce. On every
 * version with python3 on the node ({@code container.runtime: none}), and on 26.05 in a real SIF
 * whose runscript is {@code python3 "$@"} (operator/src/test/image/mpich-python.def).
 */
class LauncherScriptIT {
  private static final String TEST_IMAGE_DEF = "operator/src/test/image/mpich-python.def";
  private static final String TEST_IMAGE = "/opt/dask-mpi/mpich-python.sif";

  static Stream<Arguments> launches() {
    List<Arguments> rows = new ArrayList<>();
    for (String version : LocalSlurm.versions()) {
      rows.add(Arguments.of(version, ContainerRuntime.NONE));
      if (version.equals("26.05")) {
        rows.add(Arguments.of(version, ContainerRuntime.APPTAINER));
      }
    }
    return rows.stream();
  }

  private static DaskMpiJobSpec spec(LocalSlurm slurm, ContainerRuntime runtime) {
    DaskMpiJobSpec spec = new DaskMpiJobSpec();
    spec.setLauncher(Launcher.SCRIPT);
    ContainerSpec container = new ContainerSpec();
    container.setRuntime(runtime);
    if (runtime != ContainerRuntime.NONE) {
      spec.setImage(TEST_IMAGE);
      container.setBinds(List.of(slurm.workDir()));
    }
    spec.setContainer(container);
    spec.setWorkingDirectory(slurm.workDir());
    spec.setWorkers(1);
    spec.setTimeLimit("5");
    MpiSpec mpi = new MpiSpec();
    mpi.setPlugin("pmi2");
    spec.setMpi(mpi);
    spec.setInlineScript(resource("/launcher/mpi_ranks.py"));
    spec.setArgs(List.of("--size", "two words", "$HOME"));
    // The lab's nodes share one kernel, so UCX takes them for one host and tries shared memory
    // through /proc/<pid>/fd, which another node's namespace may not open: say no to that path.
    EnvVar ucx = new EnvVar();
    ucx.setName("UCX_POSIX_USE_PROC_LINK");
    ucx.setValue("n");
    spec.setEnv(List.of(ucx));
    return spec;
  }

  private static String resource(String name) {
    try (InputStream in = LauncherScriptIT.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "Slurm {0}, container {1}")
  @MethodSource("launches")
  void everyRankReadsItsRankThroughMpiAndTheJobSucceeds(String version, ContainerRuntime runtime)
      throws Exception {
    LocalSlurm slurm = LocalSlurm.of(version);
    if (runtime != ContainerRuntime.NONE) {
      LocalSlurm.buildImage(TEST_IMAGE_DEF);
    }
    DrivenResource job =
        new DrivenResource(
            slurm.jobDriver(),
            new JobIdentity("launcher", "script", UUID.randomUUID().toString(), Instant.now()),
            spec(slurm, runtime));

    DaskMpiJobStatus done = job.untilFinal();

    String output = Files.readString(Path.of(done.getSlurm().getOutputFile()));
    assertThat(done.getPhase()).as("%s%n%s", done.getMessage(), output).isEqualTo(Phase.Succeeded);
    assertThat(done.getSlurm().getExitCode()).isZero();
    String args = "args ['--size', 'two words', '$HOME']";
    // srun --label: each line starts with the rank that printed it.
    assertThat(output)
        .contains("0: rank 0 of 3 on ")
        .contains("1: rank 1 of 3 on ")
        .contains("2: rank 2 of 3 on ")
        .doesNotContain("rank 3 ")
        .doesNotContain("Traceback")
        .doesNotContain("ERROR");
    assertThat(output.lines().filter(l -> l.matches("\\d: rank .*")))
        .hasSize(3)
        .allMatch(l -> l.contains(": sum of ranks 3 " + args));
  }
}
