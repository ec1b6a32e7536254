package io.daskmpi.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.rest.SlurmClients;
import io.daskmpi.operator.submit.JobIdentity;
import io.daskmpi.operator.testing.ExampleManifest;
import io.daskmpi.operator.testing.LocalKube;
import io.daskmpi.operator.testing.LocalSlurm;
import io.daskmpi.operator.testing.OperatorProcess;
import io.daskmpi.operator.testing.OperatorProcess.Packaging;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The product on real parts: {@code kubectl apply} on the real API server of {@code
 * dev/local-kube}, the operator in its own process (the jar, and the real operator image under
 * Apptainer) as it ships (patches, not server-side apply), slurmrestd 26.05, and the job's ranks
 * started by {@code srun --mpi=pmi2 apptainer run … dask-mpi.sif} (the SIF of {@code
 * dev/local-slurm build-image}).
 */
class RealOperatorIT {
  private static final String SLURM = "26.05";
  private static final Duration JOB_WAIT = Duration.ofMinutes(4);

  private static LocalKube kube;
  private static LocalSlurm slurm;
  private static KubernetesClient client;

  private final String namespace = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
  private final List<OperatorProcess> operators = new ArrayList<>();

  @BeforeAll
  static void setUp() {
    kube = LocalKube.of();
    kube.applyCrds();
    LocalSlurm.installRuntime();
    LocalSlurm.buildImages();
    // After the build: `env` names the image only once it exists.
    slurm = LocalSlurm.of(SLURM);
    assertThat(Path.of(slurm.require("DASKMPI_IMAGE")))
        .as("the job image: dev/local-slurm build-image")
        .exists();
    client = kube.client();
  }

  @AfterAll
  static void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  @AfterEach
  void stopOperators() throws InterruptedException {
    for (OperatorProcess o : operators) {
      o.close();
    }
  }

  private OperatorProcess startOperator(Packaging packaging) throws Exception {
    OperatorProcess o = OperatorProcess.start(packaging, kube, slurm, namespace, Map.of());
    operators.add(o);
    return o;
  }

  /**
   * The example as a user applies it, in this test's namespace; an inline script may replace it.
   */
  private void apply(String name, String inlineScript) {
    kube.kubectlOk(
        ExampleManifest.of("dask-example-apptainer.yaml")
            .as(name, namespace)
            .withInlineScript(inlineScript)
            .yaml(),
        "apply",
        "-f",
        "-");
  }

  private DaskMpiJob get(String name) {
    return client.resources(DaskMpiJob.class).inNamespace(namespace).withName(name).get();
  }

  private Phase phase(String name) {
    DaskMpiJob j = get(name);
    return j == null || j.getStatus() == null ? null : j.getStatus().getPhase();
  }

  private Long jobId(String name) {
    DaskMpiJob j = get(name);
    return j == null || j.getStatus() == null || j.getStatus().getSlurm() == null
        ? null
        : j.getStatus().getSlurm().getJobId();
  }

  private String batchScript(long jobId) throws Exception {
    Process p =
        new ProcessBuilder(
                LocalSlurm.repo().resolve("dev/local-slurm").toString(),
                "exec",
                "--",
                "scontrol",
                "write",
                "batch_script",
                Long.toString(jobId),
                "-")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  @ParameterizedTest(name = "operator as {0}")
  @EnumSource(Packaging.class)
  void theAppliedExampleSucceedsThroughApptainer(Packaging packaging) throws Exception {
    OperatorProcess operator = startOperator(packaging);
    if (packaging == Packaging.IMAGE) {
      // The image's own JRE (Jib puts it at /opt/java), which the host does not have.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> operator.commands().contains("/opt/java/bin/java"));
      assertThat(Path.of("/opt/java/bin/java")).doesNotExist();
    }
    long t0 = System.nanoTime();
    apply("sum", null);
    await().atMost(JOB_WAIT).until(() -> phase("sum") != null && phase("sum").isFinal());
    double seconds = (System.nanoTime() - t0) / 1e9;
    var status = get("sum").getStatus();
    assertThat(status.getPhase())
        .as(status.getMessage() + "\n" + operator.output())
        .isEqualTo(Phase.Succeeded);
    assertThat(status.getSlurm().getExitCode()).isZero();
    assertThat(Files.readString(Path.of(status.getSlurm().getOutputFile())))
        .contains("Dask result: 285");
    assertThat(batchScript(status.getSlurm().getJobId()))
        .contains("srun --mpi=pmi2 apptainer run -B /home/daskjob /opt/dask-mpi/dask-mpi.sif");
    String row = kube.kubectlOk(null, "get", "daskmpijob", "sum", "-n", namespace);
    assertThat(row).contains("Succeeded").contains(status.getSlurm().getJobId().toString());
    // Submitted, Running, Succeeded: three events, each refused by a server without core/v1.
    assertThat(operator.linesContaining("no core/v1 Events")).isEqualTo(1);
    assertThat(operator.linesContaining("cannot record event")).isZero();
    System.out.printf("FIGURE apply-to-succeeded %s %.1f s%n", packaging, seconds);
  }

  /** Kueue's way: applied suspended, nothing reaches Slurm until the suspend is patched away. */
  @Test
  void aJobAppliedSuspendedRunsOnlyOnceResumedWithKubectlPatch() throws Exception {
    startOperator(Packaging.JAR);
    kube.kubectlOk(
        ExampleManifest.of("dask-example-apptainer.yaml")
            .as("later", namespace)
            .withSpecLines("  suspend: true\n")
            .yaml(),
        "apply",
        "-f",
        "-");
    await().atMost(JOB_WAIT).until(() -> phase("later") == Phase.Suspended);
    DaskMpiJob suspended = get("later");
    String tag =
        new JobIdentity(namespace, "later", suspended.getMetadata().getUid(), Instant.EPOCH).tag();
    assertThat(SlurmClients.connect(slurm.endpoint()).findByTag(tag)).isEmpty();

    kube.kubectlOk(
        null,
        "patch",
        "daskmpijob",
        "later",
        "-n",
        namespace,
        "--type=merge",
        "-p",
        "{\"spec\":{\"suspend\":false}}");
    await().atMost(JOB_WAIT).until(() -> phase("later") != null && phase("later").isFinal());
    DaskMpiJob done = get("later");
    assertThat(done.getStatus().getPhase())
        .as(done.getStatus().getMessage())
        .isEqualTo(Phase.Succeeded);
    assertThat(done.getStatus().getObservedGeneration())
        .isEqualTo(done.getMetadata().getGeneration());
  }

  @Test
  void deletingARunningJobCancelsItsSlurmJobAndTheObjectGoes() throws Exception {
    startOperator(Packaging.JAR);
    apply("doomed", "import dask_mpi, time\ndask_mpi.initialize()\ntime.sleep(600)\n");
    await().atMost(JOB_WAIT).until(() -> phase("doomed") == Phase.Running);
    long jobId = jobId("doomed");
    kube.kubectlOk(null, "delete", "daskmpijob", "doomed", "-n", namespace, "--wait=false");
    await().atMost(Duration.ofSeconds(60)).until(() -> get("doomed") == null);
    SlurmClient slurmClient = SlurmClients.connect(slurm.endpoint());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> slurmClient.get(jobId).orElseThrow().isFinished());
    assertThat(slurmClient.get(jobId).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
  }

  @Test
  void anOperatorKilledRightAfterSubmittingIsRestartedAndRunsExactlyOneSlurmJob() throws Exception {
    OperatorProcess first = startOperator(Packaging.JAR);
    apply("once", null);
    await()
        .atMost(JOB_WAIT)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> first.output().contains("submitted as Slurm job") || jobId("once") != null);
    first.kill();
    startOperator(Packaging.JAR);
    await().atMost(JOB_WAIT).until(() -> phase("once") != null && phase("once").isFinal());
    assertThat(phase("once")).isEqualTo(Phase.Succeeded);
    String tag = "daskmpi.io/" + namespace + "/once/" + get("once").getMetadata().getUid();
    assertThat(SlurmClients.connect(slurm.endpoint()).findByTag(tag))
        .singleElement()
        .satisfies(j -> assertThat(j.id()).isEqualTo(jobId("once")));
  }
}
