package io.daskmpi.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.SlurmJob;
import io.daskmpi.operator.slurm.rest.SlurmClients;
import io.daskmpi.operator.submit.JobIdentity;
import io.daskmpi.operator.testing.ExampleManifest;
import io.daskmpi.operator.testing.LocalKube;
import io.daskmpi.operator.testing.LocalSlurm;
import io.daskmpi.operator.testing.OperatorProcess;
import io.daskmpi.operator.testing.OperatorProcess.Packaging;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The job lifecycle the way a user (or Kueue) drives it: {@code kubectl apply} and {@code kubectl
 * patch} on the real API server, the operator jar, and the real local Slurm of every version.
 */
class KubectlLifecycleIT {
  private static final Duration WAIT = Duration.ofMinutes(3);
  private static LocalKube kube;
  private static KubernetesClient client;

  private final String namespace = "life-" + UUID.randomUUID().toString().substring(0, 8);
  private OperatorProcess operator;

  static List<String> versions() {
    return LocalSlurm.versions();
  }

  @BeforeAll
  static void setUp() {
    kube = LocalKube.of();
    kube.applyCrds();
    LocalSlurm.installRuntime();
    client = kube.client();
  }

  @AfterAll
  static void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  @AfterEach
  void stopOperator() throws InterruptedException {
    if (operator != null) {
      operator.close();
    }
  }

  private SlurmClient start(String version) throws Exception {
    LocalSlurm slurm = LocalSlurm.of(version);
    operator = OperatorProcess.start(Packaging.JAR, kube, slurm, namespace, Map.of());
    return SlurmClients.connect(slurm.endpoint());
  }

  private void apply(String name, String specLines, String inlineScript) {
    ExampleManifest manifest =
        ExampleManifest.of("dask-example-local.yaml").as(name, namespace).withSpecLines(specLines);
    if (inlineScript != null) {
      manifest = manifest.withInlineScript(inlineScript);
    }
    kube.kubectlOk(manifest.yaml(), "apply", "-f", "-");
  }

  private LocalKube.Result patch(String name, String json) {
    return kube.kubectl(
        null, "patch", "daskmpijob", name, "-n", namespace, "--type=merge", "-p", json);
  }

  private DaskMpiJob get(String name) {
    return client.resources(DaskMpiJob.class).inNamespace(namespace).withName(name).get();
  }

  private Phase phase(String name) {
    DaskMpiJob j = get(name);
    return j == null || j.getStatus() == null ? null : j.getStatus().getPhase();
  }

  private SlurmJob slurmJob(SlurmClient slurm, String name) {
    return slurm.get(get(name).getStatus().getSlurm().getJobId()).orElseThrow();
  }

  @ParameterizedTest(name = "Slurm {0}")
  @MethodSource("versions")
  void appliedSuspendedThenResumedHeldReleasedAndEditedWhileQueued(String version)
      throws Exception {
    SlurmClient slurm = start(version);
    // 'parked' is DOWN: the job waits there until the partition is patched.
    apply("life", "  suspend: true\n  slurm: {partition: parked}\n", null);
    await().atMost(WAIT).until(() -> phase("life") == Phase.Suspended);
    String tag =
        new JobIdentity(namespace, "life", get("life").getMetadata().getUid(), Instant.EPOCH).tag();
    assertThat(slurm.findByTag(tag)).as("nothing in Slurm while suspended").isEmpty();

    assertThat(patch("life", "{\"spec\":{\"suspend\":false}}").exitCode()).isZero();
    await().atMost(WAIT).until(() -> phase("life") == Phase.Queued);

    assertThat(patch("life", "{\"spec\":{\"timeLimit\":\"4\"}}").exitCode()).isZero();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              DaskMpiJob j = get("life");
              return slurmJob(slurm, "life").queue().timeLimitMinutes() == 4
                  && j.getMetadata().getGeneration().equals(j.getStatus().getObservedGeneration());
            });

    assertThat(patch("life", "{\"spec\":{\"suspend\":true}}").exitCode()).isZero();
    await()
        .atMost(WAIT)
        .until(
            () ->
                phase("life") == Phase.Suspended
                    && "JobHeldUser".equals(slurmJob(slurm, "life").reason()));

    LocalKube.Result refused = patch("life", "{\"spec\":{\"backoffLimit\":-1}}");
    assertThat(refused.exitCode()).as("the API server checks the new fields").isNotZero();
    assertThat(refused.all()).contains("spec.backoffLimit");

    assertThat(
            patch("life", "{\"spec\":{\"suspend\":false,\"slurm\":{\"partition\":\"debug\"}}}")
                .exitCode())
        .isZero();
    await().atMost(WAIT).until(() -> phase("life") != null && phase("life").isFinal());
    DaskMpiJobStatus done = get("life").getStatus();
    assertThat(done.getPhase()).as(done.getMessage()).isEqualTo(Phase.Succeeded);
    assertThat(slurm.findByTag(tag)).as("one Slurm job all along").hasSize(1);
  }

  @ParameterizedTest(name = "Slurm {0}")
  @MethodSource("versions")
  void aLongJobPastItsDeadlineIsCancelledWithDeadlineExceeded(String version) throws Exception {
    SlurmClient slurm = start(version);
    apply(
        "late",
        "  activeDeadlineSeconds: 5\n",
        "import time, dask_mpi\ndask_mpi.initialize()\ntime.sleep(600)\n");
    await().atMost(WAIT).until(() -> phase("late") != null && phase("late").isFinal());
    DaskMpiJobStatus failed = get("late").getStatus();
    assertThat(failed.getPhase()).isEqualTo(Phase.Failed);
    assertThat(failed.getConditions())
        .anyMatch(c -> c.getType().equals("Failed") && c.getReason().equals("DeadlineExceeded"));
    long jobId = failed.getSlurm().getJobId();
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> slurm.get(jobId).map(SlurmJob::isFinished).orElse(true));
    assertThat(slurm.get(jobId).map(SlurmJob::state)).hasValue(JobState.CANCELLED);
  }
}
