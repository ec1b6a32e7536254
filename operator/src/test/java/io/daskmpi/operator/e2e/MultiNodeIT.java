package io.daskmpi.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.rest.SlurmClients;
import io.daskmpi.operator.testing.ExampleManifest;
import io.daskmpi.operator.testing.LocalKube;
import io.daskmpi.operator.testing.LocalSlurm;
import io.daskmpi.operator.testing.OperatorProcess;
import io.daskmpi.operator.testing.OperatorProcess.Packaging;
import io.daskmpi.operator.testing.SlurmNodes;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dask-MPI jobs spread over the three nodes of the local multi-node Slurm 26.05 ({@code
 * dev/local-slurm up --slurm 26.05 --nodes 3}: one slurmd per network namespace on a private
 * bridge): {@code kubectl apply} of examples/dask-example-multinode.yaml on the real API server,
 * the operator jar, and every rank in the job SIF under {@code srun apptainer run}.
 */
class MultiNodeIT {
  private static final Duration JOB_WAIT = Duration.ofMinutes(4);
  private static final String WAITING_CLIENT =
      """
      import dask_mpi, time
      from distributed import Client
      dask_mpi.initialize()
      with Client() as client:
          print("client connected", flush=True)
          time.sleep(600)
      """;

  private static LocalKube kube;
  private static LocalSlurm slurm;
  private static SlurmNodes nodes;
  private static KubernetesClient client;

  private final String namespace = "multi-" + UUID.randomUUID().toString().substring(0, 8);
  private OperatorProcess operator;

  @BeforeAll
  static void setUp() {
    kube = LocalKube.of();
    kube.applyCrds();
    LocalSlurm.installRuntime();
    LocalSlurm.buildJobImage();
    slurm = LocalSlurm.of("26.05");
    nodes = SlurmNodes.of(slurm);
    assertThat(nodes.names()).hasSize(3);
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

  private void startOperator() throws Exception {
    operator = OperatorProcess.start(Packaging.JAR, kube, slurm, namespace, Map.of());
  }

  private void apply(String name, String inlineScript) {
    apply(name, inlineScript, "");
  }

  /** The example, renamed, with another inline script and EXTRA_SPEC lines (YAML, indented). */
  private void apply(String name, String inlineScript, String extraSpec) {
    kube.kubectlOk(
        ExampleManifest.of("dask-example-multinode.yaml")
            .as(name, namespace)
            .withSpecLines(extraSpec)
            .withInlineScript(inlineScript)
            .yaml(),
        "apply",
        "-f",
        "-");
  }

  private DaskMpiJobStatus status(String name) {
    DaskMpiJob j = client.resources(DaskMpiJob.class).inNamespace(namespace).withName(name).get();
    return j == null ? null : j.getStatus();
  }

  private Phase phase(String name) {
    DaskMpiJobStatus s = status(name);
    return s == null ? null : s.getPhase();
  }

  private static String output(DaskMpiJobStatus status) throws Exception {
    Path file = Path.of(status.getSlurm().getOutputFile());
    return Files.exists(file) ? Files.readString(file) : "";
  }

  /** Running, the client connected: by then a rank runs on every node. */
  private DaskMpiJobStatus awaitClientConnected(String name) {
    await()
        .atMost(JOB_WAIT)
        .until(
            () -> {
              DaskMpiJobStatus s = status(name);
              return s != null
                  && s.getPhase() == Phase.Running
                  && s.getSlurm().getOutputFile() != null
                  && output(s).contains("client connected");
            });
    return status(name);
  }

  private void assertRanksOnEveryNode() {
    Map<String, List<String>> processes = nodes.jobProcesses();
    assertThat(processes).allSatisfy((node, procs) -> assertThat(procs).as(node).isNotEmpty());
  }

  private static boolean noJobProcessAnywhere(SlurmNodes nodes) {
    return nodes.jobProcesses().values().stream().allMatch(List::isEmpty);
  }

  @Test
  void theExampleSpreadsFourWorkersOverThreeNodesAndSucceeds() throws Exception {
    startOperator();
    long t0 = System.nanoTime();
    apply("spread", null);
    await().atMost(JOB_WAIT).until(() -> phase("spread") != null && phase("spread").isFinal());
    System.out.printf(
        "FIGURE multi-node apply-to-succeeded %.1f s%n", (System.nanoTime() - t0) / 1e9);
    DaskMpiJobStatus status = status("spread");
    assertThat(status.getPhase())
        .as(status.getMessage() + "\n" + operator.output())
        .isEqualTo(Phase.Succeeded);
    assertThat(status.getSlurm().getNodes()).isEqualTo("node[1-3]");
    String out = output(status);
    assertThat(out)
        .contains("Dask result: 328350")
        .contains(
            "1 client: dask-mpi-runtime: 4 worker(s) ready on node2 (2), node3 (2); client on node1")
        .contains("Worker hosts: ['node2', 'node3']")
        .doesNotContain("Traceback")
        .doesNotContain(" - ERROR - ");
    Matcher scheduler = Pattern.compile("scheduler tls://([0-9.]+):[0-9]+").matcher(out);
    assertThat(scheduler.find()).as(out).isTrue();
    assertThat(scheduler.group(1)).isEqualTo("10.231.0.11").doesNotStartWith("127.");
  }

  @Test
  void cancellingAMultiNodeJobLeavesNoProcessOnAnyNodeAfter15Seconds() throws Exception {
    startOperator();
    apply("doomed", WAITING_CLIENT);
    DaskMpiJobStatus running = awaitClientConnected("doomed");
    assertRanksOnEveryNode();
    // The dashboard URL names the first node, which serves it to the host over the bridge.
    assertThat(running.getDashboardURL()).isEqualTo("http://node1:8787/status");
    HttpResponse<Void> dashboard =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(running.getDashboardURL()))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
    assertThat(dashboard.statusCode()).isEqualTo(200);

    long jobId = running.getSlurm().getJobId();
    kube.kubectlOk(null, "delete", "daskmpijob", "doomed", "-n", namespace, "--wait=false");
    long t0 = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> noJobProcessAnywhere(nodes));
    System.out.printf(
        "FIGURE multi-node cancel to no process on any node %.1f s%n",
        (System.nanoTime() - t0) / 1e9);
    SlurmClient slurmClient = SlurmClients.connect(slurm.endpoint());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> slurmClient.get(jobId).orElseThrow().isFinished());
    assertThat(slurmClient.get(jobId).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
  }

  /**
   * With {@code slurm.requeue: true} a node crash is retried, as the policy says: Slurm requeues
   * the job (Queued), and once the node is back the same Slurm job reruns to Succeeded.
   */
  @Test
  void aWorkerNodeKilledWithRequeueOnRerunsTheSameJobToSucceeded() throws Exception {
    startOperator();
    apply(
        "retried",
        """
        import os, time
        import dask_mpi
        from distributed import Client
        dask_mpi.initialize()
        with Client() as client:
            print("client connected", flush=True)
            if os.environ.get("SLURM_RESTART_COUNT", "0") == "0":
                time.sleep(600)
            print("Dask result:", client.submit(sum, range(10)).result())
        """,
        "  slurm: {requeue: true}\n");
    long jobId = awaitClientConnected("retried").getSlurm().getJobId();
    try {
      nodes.kill("node3");
      await().atMost(JOB_WAIT).until(() -> phase("retried") == Phase.Queued);
    } finally {
      nodes.revive();
    }
    nodes.startNow(jobId);
    await().atMost(JOB_WAIT).until(() -> phase("retried") != null && phase("retried").isFinal());
    DaskMpiJobStatus status = status("retried");
    assertThat(status.getPhase()).as(status.getMessage()).isEqualTo(Phase.Succeeded);
    assertThat(status.getSlurm().getJobId()).isEqualTo(jobId);
    assertThat(output(status)).contains("Dask result: 45");
  }

  /**
   * Open MPI's and MPICH's mpiexec inside a 3-node batch job start the runtime jar (no container)
   * on every node through Slurm; the ranks find each other over the bridge.
   */
  @ParameterizedTest
  @ValueSource(strings = {"mpiexec", "mpiexec.mpich"})
  void mpiexecRunsTheRuntimeAcrossTheNodes(String mpiexec) throws Exception {
    Path dir = Path.of(slurm.workDir(), "it-" + mpiexec + "-" + UUID.randomUUID());
    Files.createDirectories(dir);
    Files.copy(LocalSlurm.repo().resolve("examples/dask_example.py"), dir.resolve("client.py"));
    Path job = dir.resolve("job.sh");
    Files.writeString(
        job,
        String.join(
            "\n",
            "#!/bin/bash",
            "#SBATCH --nodes=3 --ntasks-per-node=2 --time=5 --output=out.txt --chdir=" + dir,
            mpiexec + " --version 2>&1 | head -1",
            mpiexec + " -n 6 " + slurm.require("DASKMPI_RUNTIME_COMMAND") + " -- client.py",
            ""));
    new ProcessBuilder("chown", "-R", slurm.user() + ":", dir.toString())
        .inheritIO()
        .start()
        .waitFor();
    try {
      nodes.sbatchAndWait(job);
      String out = Files.readString(dir.resolve("out.txt"));
      assertThat(out.lines().findFirst().orElse(""))
          .as(out)
          .contains(mpiexec.equals("mpiexec") ? "Open MPI" : "HYDRA");
      assertThat(out)
          .contains(
              "1 client: dask-mpi-runtime: 4 worker(s) ready on node2 (2), node3 (2); client on node1")
          .contains("1 client: Dask result: 5050");
    } finally {
      new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
    }
  }

  @Test
  void aWorkerNodeKilledMidRunEndsTheJobFailedWithNoRankLeft() throws Exception {
    startOperator();
    apply("crash", WAITING_CLIENT);
    awaitClientConnected("crash");
    assertRanksOnEveryNode();
    try {
      long t0 = System.nanoTime();
      nodes.kill("node3");
      await().atMost(JOB_WAIT).until(() -> phase("crash") != null && phase("crash").isFinal());
      double seconds = (System.nanoTime() - t0) / 1e9;
      DaskMpiJobStatus status = status("crash");
      assertThat(status.getPhase()).as(status.getMessage()).isEqualTo(Phase.Failed);
      assertThat(status.getSlurm().getState()).isEqualTo("NODE_FAIL");
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> noJobProcessAnywhere(nodes));
      System.out.printf("FIGURE node killed to Failed %.1f s%n", seconds);
    } finally {
      nodes.revive();
    }
  }
}
