package io.daskmpi.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.cli.OperatorCommand;
import io.daskmpi.operator.config.ConfigLoader;
import io.daskmpi.operator.config.OperatorConfig;
import io.daskmpi.operator.monitoring.OperatorMetrics;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.rest.SlurmClients;
import io.daskmpi.operator.submit.Examples;
import io.daskmpi.operator.testing.LocalSlurm;
import io.daskmpi.operator.testing.MockApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator under JOSDK against Fabric8's CRUD mock API server, with a real slurmrestd, real
 * srun, the runtime jar and Debian's Dask, on every local Slurm version.
 */
class OperatorEndToEndIT {
  private static final Duration JOB_WAIT = Duration.ofMinutes(3);
  @RegisterExtension final MockApiServer api = new MockApiServer();
  private KubernetesClient client;

  /**
   * The mock API server hands out the same UIDs in every run, and the Slurm clusters keep jobs for
   * an hour: a fresh namespace keeps this run's identity tags apart from earlier runs' jobs.
   */
  private final String namespace = "e2e-" + UUID.randomUUID().toString().substring(0, 8);

  private Operator operator;

  static List<String> versions() {
    return LocalSlurm.versions();
  }

  @BeforeAll
  static void installRuntime() {
    LocalSlurm.installRuntime();
  }

  @BeforeEach
  void connect() {
    client = api.client();
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.stop();
    }
  }

  private void startOperator(String version) {
    Map<String, String> env = new HashMap<>(LocalSlurm.of(version).environment());
    env.put("DASKMPI_POLL_INTERVAL", "500ms");
    OperatorConfig config = ConfigLoader.load(null, env);
    operator =
        OperatorCommand.start(client, config, Clock.systemUTC(), new OperatorMetrics(), o -> {});
  }

  private DaskMpiJob create(String name, String inlineScript) {
    DaskMpiJob job = Examples.load("dask-example-local.yaml");
    job.getMetadata().setName(name);
    job.getMetadata().setNamespace(namespace);
    if (inlineScript != null) {
      job.getSpec().setInlineScript(inlineScript);
    }
    return client.resource(job).create();
  }

  private DaskMpiJob get(String name) {
    return client.resources(DaskMpiJob.class).inNamespace(namespace).withName(name).get();
  }

  private Phase phase(String name) {
    DaskMpiJob j = get(name);
    return j == null || j.getStatus() == null ? null : j.getStatus().getPhase();
  }

  private static SlurmClient slurm(String version) {
    return SlurmClients.connect(LocalSlurm.of(version).endpoint());
  }

  @ParameterizedTest(name = "Slurm {0}")
  @MethodSource("versions")
  void jobSucceedsAndItsOutputHoldsTheDaskResult(String version) throws Exception {
    startOperator(version);
    create("sum", null);
    await().atMost(JOB_WAIT).until(() -> phase("sum") != null && phase("sum").isFinal());
    var status = get("sum").getStatus();
    assertThat(status.getPhase()).as(status.getMessage()).isEqualTo(Phase.Succeeded);
    assertThat(status.getSlurm().getExitCode()).isZero();
    // A clean end: the workers close before the scheduler, so no CommClosedError traceback.
    assertThat(Files.readString(Path.of(status.getSlurm().getOutputFile())))
        .contains("1 client: Dask result: 285")
        .doesNotContain("Traceback")
        .doesNotContain(" - ERROR - ");
  }

  @ParameterizedTest(name = "Slurm {0}")
  @MethodSource("versions")
  void aFinishedJobWithATtlIsDeletedAndWithoutOneStays(String version) {
    startOperator(version);
    DaskMpiJob expiring = Examples.load("dask-example-local.yaml");
    expiring.getMetadata().setName("expiring");
    expiring.getMetadata().setNamespace(namespace);
    expiring.getSpec().setTtlSecondsAfterFinished(1L);
    client.resource(expiring).create();
    create("kept", null);
    await().atMost(JOB_WAIT).until(() -> phase("kept") != null && phase("kept").isFinal());
    await().atMost(JOB_WAIT).until(() -> get("expiring") == null);
    assertThat(get("kept")).as("no TTL: never deleted").isNotNull();
  }

  @ParameterizedTest(name = "Slurm {0}")
  @MethodSource("versions")
  void scriptExitingSevenFailsWithExitCodeSeven(String version) {
    startOperator(version);
    create("seven", "import dask_mpi, sys\ndask_mpi.initialize()\nsys.exit(7)\n");
    await().atMost(JOB_WAIT).until(() -> phase("seven") != null && phase("seven").isFinal());
    var status = get("seven").getStatus();
    assertThat(status.getPhase()).isEqualTo(Phase.Failed);
    assertThat(status.getSlurm().getExitCode()).isEqualTo(7);
  }

  @ParameterizedTest(name = "Slurm {0}")
  @MethodSource("versions")
  void deletingARunningJobCancelsItInSlurm(String version) {
    startOperator(version);
    create("doomed", "import dask_mpi, time\ndask_mpi.initialize()\ntime.sleep(600)\n");
    await().atMost(JOB_WAIT).until(() -> phase("doomed") == Phase.Running);
    long jobId = get("doomed").getStatus().getSlurm().getJobId();
    client.resources(DaskMpiJob.class).inNamespace(namespace).withName("doomed").delete();
    await().atMost(Duration.ofSeconds(60)).until(() -> get("doomed") == null);
    SlurmClient slurm = slurm(version);
    await().atMost(Duration.ofSeconds(60)).until(() -> slurm.get(jobId).orElseThrow().isFinished());
    assertThat(slurm.get(jobId).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
  }

  @ParameterizedTest(name = "Slurm {0}")
  @MethodSource("versions")
  void restartRightAfterSubmitWithALostStatusWriteRunsExactlyOneSlurmJob(String version) {
    startOperator(version);
    DaskMpiJob created = create("restart", null);
    await()
        .atMost(JOB_WAIT)
        .until(
            () ->
                get("restart").getStatus() != null
                    && get("restart").getStatus().getSlurm() != null);
    operator.stop();
    long jobId = get("restart").getStatus().getSlurm().getJobId();
    // The status as the intent write left it: the write after the submit is the one lost.
    DaskMpiJob lost = get("restart");
    var intentOnly = new DaskMpiJobStatus();
    intentOnly.setSubmitRequestedAt(lost.getStatus().getSubmitRequestedAt());
    assertThat(intentOnly.getSubmitRequestedAt()).isNotNull();
    lost.setStatus(intentOnly);
    client.resource(lost).updateStatus();

    startOperator(version);
    await().atMost(JOB_WAIT).until(() -> phase("restart") != null && phase("restart").isFinal());
    assertThat(phase("restart")).isEqualTo(Phase.Succeeded);
    assertThat(get("restart").getStatus().getSlurm().getJobId()).isEqualTo(jobId);
    String tag = "daskmpi.io/" + namespace + "/restart/" + created.getMetadata().getUid();
    assertThat(slurm(version).findByTag(tag)).hasSize(1);
  }
}
