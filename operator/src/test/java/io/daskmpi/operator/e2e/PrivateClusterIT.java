package io.daskmpi.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobSpec;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.EnvVar;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.submit.Examples;
import io.daskmpi.operator.submit.JobIdentity;
import io.daskmpi.operator.testing.DrivenResource;
import io.daskmpi.operator.testing.LocalSlurm;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each job's Dask cluster is private (the runtime's default {@code --tls}): while a job runs on the
 * real local Slurm, another user of the cluster, on the cluster, cannot talk to its scheduler,
 * neither with a plain Dask client nor over TLS without the job's key, and the job still prints its
 * result. On every version with the runtime on the node, and on 26.05 in the job SIF under
 * Apptainer. The same attempt against a job that turned TLS off connects, so the test can fail.
 */
class PrivateClusterIT {
  private static final Duration LIMIT = Duration.ofMinutes(4);
  private static final Pattern SCHEDULER = Pattern.compile("scheduler at (\\S+)");

  static Stream<Arguments> clusters() {
    List<Arguments> rows = new ArrayList<>();
    for (String version : LocalSlurm.versions()) {
      rows.add(Arguments.of(version, "dask-example-local.yaml"));
      if (version.equals("26.05")) {
        rows.add(Arguments.of(version, "dask-example-apptainer.yaml"));
      }
    }
    return rows.stream();
  }

  /**
   * The job: connects, prints the scheduler's address, and computes its result only once the
   * release file exists, so the test knows the cluster is up while it tries to break in.
   */
  private static DaskMpiJobSpec heldJob(LocalSlurm slurm, String example, Path release) {
    DaskMpiJobSpec spec = Examples.load(example).getSpec();
    spec.setWorkingDirectory(slurm.workDir());
    spec.setWorkers(1);
    spec.setInlineScript(
        """
        import os, time
        import dask_mpi
        from distributed import Client

        dask_mpi.initialize()
        with Client() as client:
            print("scheduler at", client.scheduler.address, flush=True)
            deadline = time.monotonic() + 180
            while not os.path.exists("%s") and time.monotonic() < deadline:
                time.sleep(0.2)
            print("Dask result:", client.submit(lambda: 6 * 7).result(), flush=True)
        """
            .formatted(release));
    return spec;
  }

  private static String outsiderScript() {
    try (InputStream in = PrivateClusterIT.class.getResourceAsStream("/tls/outsider.py")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Attempt(String schedulerAddress, String outsider, DaskMpiJobStatus done) {}

  /** Runs the held job, lets the other user try its scheduler, then releases it to the end. */
  private static Attempt breakIn(LocalSlurm slurm, DaskMpiJobSpec spec, Path release)
      throws Exception {
    DrivenResource job =
        new DrivenResource(
            slurm.jobDriver(),
            new JobIdentity("tls", "held", UUID.randomUUID().toString(), Instant.now()),
            spec);
    try {
      DaskMpiJobStatus up = job.until(s -> schedulerAddress(s) != null);
      String address = schedulerAddress(up);
      assertThat(address).as("%s: %s", up.getPhase(), up.getMessage()).isNotNull();
      String outsider =
          slurm.exec(
              Duration.ofMinutes(1),
              "runuser",
              "-u",
              slurm.require("DASKMPI_SLURM_PEER_USER"),
              "--",
              "python3",
              "-c",
              outsiderScript(),
              address);
      Files.writeString(release, "");
      DaskMpiJobStatus done = job.untilFinal();
      return new Attempt(address, outsider, done);
    } finally {
      Files.deleteIfExists(release);
    }
  }

  private static String schedulerAddress(DaskMpiJobStatus status) {
    if (status.getSlurm() == null || status.getSlurm().getOutputFile() == null) {
      return null;
    }
    Path output = Path.of(status.getSlurm().getOutputFile());
    if (!Files.exists(output)) {
      return null;
    }
    try {
      Matcher m = SCHEDULER.matcher(Files.readString(output));
      return m.find() ? m.group(1) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path releaseFile(LocalSlurm slurm) {
    return Path.of(slurm.workDir(), "release-" + UUID.randomUUID());
  }

  private static String output(DaskMpiJobStatus status) throws IOException {
    return Files.readString(Path.of(status.getSlurm().getOutputFile()));
  }

  @ParameterizedTest(name = "Slurm {0}, {1}")
  @MethodSource("clusters")
  void anotherUserCannotReachTheSchedulerAndTheJobStillPrintsItsResult(
      String version, String example) throws Exception {
    LocalSlurm slurm = LocalSlurm.of(version);
    LocalSlurm.installRuntime();
    if (example.contains("apptainer")) {
      LocalSlurm.buildJobImage();
    }
    Path release = releaseFile(slurm);

    Attempt attempt = breakIn(slurm, heldJob(slurm, example, release), release);

    assertThat(attempt.schedulerAddress()).startsWith("tls://");
    assertThat(attempt.outsider())
        .contains("plain client refused:")
        .contains("tls client without the key refused:")
        .doesNotContain("connected");
    assertThat(attempt.done().getPhase())
        .as(attempt.done().getMessage())
        .isEqualTo(Phase.Succeeded);
    assertThat(output(attempt.done())).contains("Dask result: 42");
  }

  @ParameterizedTest(name = "Slurm {0}")
  @MethodSource("io.daskmpi.operator.testing.LocalSlurm#versions")
  void withTlsTurnedOffTheSameOutsiderConnects(String version) throws Exception {
    LocalSlurm slurm = LocalSlurm.of(version);
    LocalSlurm.installRuntime();
    Path release = releaseFile(slurm);
    DaskMpiJobSpec spec = heldJob(slurm, "dask-example-local.yaml", release);
    List<EnvVar> env = new ArrayList<>(spec.getEnv());
    EnvVar tlsOff = new EnvVar();
    tlsOff.setName("DASK_MPI_TLS");
    tlsOff.setValue("false");
    env.add(tlsOff);
    spec.setEnv(env);

    Attempt attempt = breakIn(slurm, spec, release);

    assertThat(attempt.schedulerAddress()).startsWith("tcp://");
    assertThat(attempt.outsider()).contains("plain client connected");
    assertThat(attempt.done().getPhase()).isEqualTo(Phase.Succeeded);
  }
}
