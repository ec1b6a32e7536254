package io.daskmpi.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.monitoring.MeteredSlurmClient;
import io.daskmpi.operator.monitoring.OperatorMetrics;
import io.daskmpi.operator.slurm.ExitStatus;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.status.JobEvents;
import io.daskmpi.operator.submit.Examples;
import io.daskmpi.operator.testing.FakeSlurm;
import io.daskmpi.operator.testing.MockApiServer;
import io.daskmpi.operator.testing.TestEndpoints;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** JOSDK running for real against Fabric8's CRUD mock API server, with an in-memory Slurm. */
class DaskMpiJobReconcilerTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @RegisterExtension final MockApiServer api = new MockApiServer();
  private KubernetesClient client;
  private final FakeSlurm slurm = new FakeSlurm();
  private final OperatorMetrics metrics = new OperatorMetrics();
  private Operator operator;

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

  private void startOperator() {
    var config =
        TestEndpoints.config(
            Duration.ofMillis(100), Duration.ofMinutes(5), TestEndpoints.fake("default"));
    var endpoints =
        new SlurmEndpoints(
            config,
            c -> new MeteredSlurmClient(slurm, c.endpoint().name(), metrics),
            Clock.systemUTC());
    operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false));
    operator.register(
        new DaskMpiJobReconciler(
            new JobDriver(endpoints, Clock.systemUTC()),
            new JobEvents(client, Clock.systemUTC()),
            new SlurmChangeEvents(endpoints, config.pollInterval()),
            config.pollInterval(),
            // Far beyond every wait here: a followed job moves on only when its change wakes it.
            Duration.ofHours(1),
            metrics));
    operator.start();
  }

  private DaskMpiJob create(String name) {
    DaskMpiJob job = Examples.load("dask-example-local.yaml");
    job.getMetadata().setName(name);
    job.getMetadata().setNamespace("test");
    return client.resource(job).create();
  }

  private DaskMpiJob get(String name) {
    return client.resources(DaskMpiJob.class).inNamespace("test").withName(name).get();
  }

  private Phase phase(String name) {
    DaskMpiJob j = get(name);
    return j == null || j.getStatus() == null ? null : j.getStatus().getPhase();
  }

  private long jobId(String name) {
    return get(name).getStatus().getSlurm().getJobId();
  }

  @Test
  void jobGoesFromSubmittedThroughRunningToSucceededWithEventsOnPhaseChangesOnly() {
    startOperator();
    create("ok");
    await().atMost(WAIT).until(() -> phase("ok") == Phase.Queued);
    long id = jobId("ok");
    assertThat(slurm.submissions()).hasSize(1);
    assertThat(slurm.submissions().get(0).comment()).startsWith("daskmpi.io/test/ok/");
    assertThat(slurm.submissions().get(0).tasks()).isEqualTo(4);
    assertThat(get("ok").getMetadata().getFinalizers()).isNotEmpty();

    slurm.set(id, JobState.RUNNING, null);
    await().atMost(WAIT).until(() -> phase("ok") == Phase.Running);
    assertThat(get("ok").getStatus().getDashboardURL()).isEqualTo("http://vm:8787/status");
    slurm.set(id, JobState.COMPLETED, ExitStatus.exited(0));
    await().atMost(WAIT).until(() -> phase("ok") == Phase.Succeeded);

    var status = get("ok").getStatus();
    assertThat(status.getSlurm().getExitCode()).isZero();
    assertThat(status.getObservedGeneration()).isEqualTo(1);
    assertThat(status.getConditions())
        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
    var reasons =
        client.v1().events().inNamespace("test").list().getItems().stream()
            .map(e -> e.getReason())
            .toList();
    assertThat(reasons).containsExactly("Submitted", "Queued", "Running", "Succeeded");
    assertThat(reasons).doesNotHaveDuplicates();
    assertThat(metrics.scrape())
        .contains("daskmpi_submissions_total{endpoint=\"default\"} 1.0")
        .contains("daskmpi_jobs{phase=\"Succeeded\"} 1.0")
        .containsPattern(
            "daskmpi_slurm_request_seconds_count\\{api_version=\"v0.0.45\",endpoint=\"default\",operation=\"submit\",outcome=\"ok\"} 1");
    assertThat(slurm.submissions()).hasSize(1);
  }

  @Test
  void failingScriptEndsFailedWithItsExitCode() {
    startOperator();
    create("bad");
    await().atMost(WAIT).until(() -> phase("bad") == Phase.Queued);
    slurm.set(jobId("bad"), JobState.FAILED, ExitStatus.exited(7));
    await().atMost(WAIT).until(() -> phase("bad") == Phase.Failed);
    assertThat(get("bad").getStatus().getSlurm().getExitCode()).isEqualTo(7);
    assertThat(client.v1().events().inNamespace("test").list().getItems())
        .anyMatch(e -> e.getType().equals("Warning") && e.getReason().equals("Failed"));
  }

  @Test
  void deletingARunningJobCancelsItAndTheResourceGoes() {
    startOperator();
    create("del");
    await().atMost(WAIT).until(() -> phase("del") == Phase.Queued);
    long id = jobId("del");
    slurm.set(id, JobState.RUNNING, null);
    await().atMost(WAIT).until(() -> phase("del") == Phase.Running);
    client.resources(DaskMpiJob.class).inNamespace("test").withName("del").delete();
    await().atMost(WAIT).until(() -> get("del") == null);
    assertThat(slurm.job(id).state()).isEqualTo(JobState.CANCELLED);
  }

  @Test
  void aStatusWriteLostAfterTheSubmitNeverSubmitsTwice() {
    startOperator();
    create("once");
    await().atMost(WAIT).until(() -> phase("once") == Phase.Queued);
    operator.stop();
    operator = null;
    // The status write after the submit is lost: what is stored is the intent, without a job id.
    DaskMpiJob job = get("once");
    assertThat(job.getStatus().getSubmitRequestedAt()).isNotNull();
    DaskMpiJobStatus intent = new DaskMpiJobStatus();
    intent.setPhase(Phase.Pending);
    intent.setSubmitRequestedAt(job.getStatus().getSubmitRequestedAt());
    job.setStatus(intent);
    client.resource(job).updateStatus();
    startOperator();
    await().atMost(WAIT).until(() -> phase("once") == Phase.Queued);
    assertThat(slurm.submissions()).hasSize(1);
  }

  @Test
  void slurmDownKeepsThePhaseAndSaysSo() {
    startOperator();
    create("down");
    await().atMost(WAIT).until(() -> phase("down") == Phase.Queued);
    slurm.setDown(true);
    await()
        .atMost(WAIT)
        .until(
            () ->
                get("down").getStatus().getConditions().stream()
                    .anyMatch(
                        c ->
                            c.getType().equals("SlurmReachable") && c.getStatus().equals("False")));
    assertThat(phase("down")).isEqualTo(Phase.Queued);
    slurm.setDown(false);
    await()
        .atMost(WAIT)
        .until(
            () ->
                get("down").getStatus().getConditions().stream()
                    .anyMatch(
                        c -> c.getType().equals("SlurmReachable") && c.getStatus().equals("True")));
  }

  @Test
  void invalidSpecFailsNamingTheFieldWithoutSubmitting() {
    startOperator();
    DaskMpiJob job = Examples.load("dask-example-local.yaml");
    job.getMetadata().setName("invalid");
    job.getMetadata().setNamespace("test");
    job.getSpec().setTimeLimit("soon");
    client.resource(job).create();
    await().atMost(WAIT).until(() -> phase("invalid") == Phase.Failed);
    assertThat(get("invalid").getStatus().getMessage()).contains("spec.timeLimit");
    assertThat(slurm.submissions()).isEmpty();
  }
}
