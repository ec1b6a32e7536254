package io.daskmpi.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.testing.ExampleManifest;
import io.daskmpi.operator.testing.KubectlPlugin;
import io.daskmpi.operator.testing.LocalKube;
import io.daskmpi.operator.testing.LocalSlurm;
import io.daskmpi.operator.testing.OperatorProcess;
import io.daskmpi.operator.testing.OperatorProcess.Packaging;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code kubectl daskmpi} end to end: the plugin script, the operator jar with its access API, the
 * real API server (alice's and bob's bearer tokens, its RBAC answers) and the real local Slurm of
 * every version. alice follows her running job's output, reads one rank, opens its dashboard on a
 * local port; bob, whose namespace it is not, and a made-up token are refused.
 */
class KubectlPluginIT {
  private static final String NAMESPACE = "team-a"; // alice's, not bob's (dev/lib/kube-users.sh)
  private static final Pattern LOCAL_DASHBOARD = Pattern.compile("at (http://\\S+/status)");
  private static LocalKube kube;
  private static KubernetesClient client;

  @TempDir Path dir;

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

  /**
   * The client prints a line, then waits for the release file before it computes its result: the
   * test knows the job runs while it reads the output and opens the dashboard.
   */
  private static String heldScript(Path release) {
    return """
        import os, time
        import dask_mpi
        from distributed import Client

        dask_mpi.initialize()
        with Client() as client:
            print("client is up", flush=True)
            deadline = time.monotonic() + 180
            while not os.path.exists("%s") and time.monotonic() < deadline:
                time.sleep(0.2)
            print("Dask result:", client.submit(lambda: 6 * 7).result(), flush=True)
        """
        .formatted(release);
  }

  /** The operator jar with its access API on ACCESS_PORT, reading every path of this machine. */
  private static OperatorProcess startOperator(LocalSlurm slurm, int accessPort, int dashboardPort)
      throws Exception {
    OperatorProcess operator =
        OperatorProcess.start(
            Packaging.JAR,
            kube,
            slurm,
            NAMESPACE,
            Map.of(
                "DASKMPI_ACCESS_PORT",
                Integer.toString(accessPort),
                "DASKMPI_ACCESS_OUTPUT_PATHS",
                "/",
                "DASKMPI_ACCESS_DASHBOARDS",
                "true",
                "DASKMPI_ACCESS_DASHBOARD_PORTS",
                Integer.toString(dashboardPort)));
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> operator.linesContaining("access API (kubectl daskmpi") > 0);
    return operator;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static DaskMpiJob get(String name) {
    return client.resources(DaskMpiJob.class).inNamespace(NAMESPACE).withName(name).get();
  }

  private static Phase phase(String name) {
    DaskMpiJob j = get(name);
    return j == null || j.getStatus() == null ? null : j.getStatus().getPhase();
  }

  @ParameterizedTest(name = "Slurm {0}")
  @MethodSource("io.daskmpi.operator.testing.LocalSlurm#versions")
  void aliceFollowsHerJobReadsOneRankAndOpensItsDashboardWhileOthersAreRefused(String version)
      throws Exception {
    LocalSlurm slurm = LocalSlurm.of(version);
    int accessPort = freePort();
    int dashboardPort = freePort(); // the hosts of 22.05 and 24.11 are this machine: not 8787
    String name =
        "plugin-" + version.replace(".", "-") + "-" + UUID.randomUUID().toString().substring(0, 6);
    Path release = Path.of(slurm.workDir(), "release-" + UUID.randomUUID());
    try (OperatorProcess operator = startOperator(slurm, accessPort, dashboardPort)) {
      String url = "http://127.0.0.1:" + accessPort;
      KubectlPlugin alice =
          new KubectlPlugin(kube, kube.userKubeconfig("alice", dir.resolve("alice")), url);
      kube.kubectlOk(
          ExampleManifest.of("dask-example-local.yaml")
              .as(name, NAMESPACE)
              .withSpecLines("  dask: {dashboardPort: " + dashboardPort + "}\n")
              .withInlineScript(heldScript(release))
              .yaml(),
          "apply",
          "-f",
          "-");
      try {
        try (KubectlPlugin.Running follow = alice.start("logs", name, "-f")) {
          follow.awaitLine("1 client: client is up", 180);
          assertThat(phase(name)).as("the line came while the job ran").isEqualTo(Phase.Running);

          var clientOnly = alice.run("logs", name, "--rank", "1");
          assertThat(clientOnly.exitCode()).as(clientOnly.all()).isZero();
          // Rank 1's lines without their label: the script's and the runtime's, no other rank's.
          assertThat(clientOnly.stdout())
              .contains("\nclient is up\n")
              .doesNotContainPattern("(?m)^\\d+ (scheduler|client|worker): ")
              .doesNotContain("distributed.scheduler")
              .doesNotContain("distributed.worker");

          assertThat(alice.run("describe", name).stdout())
              .contains("Phase:      Running")
              .contains("Slurm:      job " + get(name).getStatus().getSlurm().getJobId())
              .contains("kubectl daskmpi dashboard " + name);

          dashboardServesStatus(alice, name);

          var bob = alice.withToken(kube.userToken("bob")).run("logs", name);
          assertThat(bob.exitCode()).isEqualTo(1);
          assertThat(bob.stderr())
              .contains("you may not get daskmpijobs/log of " + name + " in namespace team-a");
          var madeUp = alice.withToken("not-a-token").run("dashboard", name, "--port", "0");
          assertThat(madeUp.exitCode()).isEqualTo(1);
          assertThat(madeUp.stderr()).contains("the API server did not accept your token");

          Files.writeString(release, "");
          assertThat(follow.awaitExit(180)).as(follow.output()).isZero();
          assertThat(follow.output())
              .contains("1 client: Dask result: 42")
              .doesNotContain("Traceback");
        }
        await().atMost(Duration.ofMinutes(1)).until(() -> phase(name) == Phase.Succeeded);
        var after = alice.run("logs", name, "--rank", "1");
        assertThat(after.stdout().lines().filter(l -> !l.startsWith("dask-mpi-runtime: ")))
            .containsExactly("client is up", "Dask result: 42");
        var noDashboard = alice.run("dashboard", name, "--port", "0");
        assertThat(noDashboard.stderr())
            .contains(name + " is Succeeded: a dashboard exists only while the job runs");
      } finally {
        Files.deleteIfExists(release);
        kube.kubectl(null, "delete", "daskmpijob", name, "-n", NAMESPACE, "--wait=true");
      }
    }
  }

  /**
   * The first attempt prints a line, waits for the release file and exits 3, which the job's
   * retryPolicy retries; the second prints another line. One {@code logs -f} shows both attempts
   * and the operator's line between them, and ends with the job. alice's kubeconfig names a
   * relative tokenFile here.
   */
  @ParameterizedTest(name = "Slurm {0}")
  @MethodSource("io.daskmpi.operator.testing.LocalSlurm#versions")
  void aFollowedLogGoesOnInTheOutputOfARetry(String version) throws Exception {
    LocalSlurm slurm = LocalSlurm.of(version);
    int accessPort = freePort();
    String name =
        "retry-" + version.replace(".", "-") + "-" + UUID.randomUUID().toString().substring(0, 6);
    Path marker = Path.of(slurm.workDir(), "attempted-" + UUID.randomUUID());
    Path release = Path.of(slurm.workDir(), "release-" + UUID.randomUUID());
    try (OperatorProcess operator = startOperator(slurm, accessPort, freePort())) {
      KubectlPlugin alice =
          new KubectlPlugin(kube, tokenFileKubeconfig("alice"), "http://127.0.0.1:" + accessPort);
      kube.kubectlOk(
          ExampleManifest.of("dask-example-local.yaml")
              .as(name, NAMESPACE)
              .withSpecLines("  backoffLimit: 1\n  retryPolicy: {exitCodes: [3]}\n")
              .withInlineScript(failingOnceScript(marker, release))
              .yaml(),
          "apply",
          "-f",
          "-");
      try (KubectlPlugin.Running follow = alice.start("logs", name, "-f", "--rank", "1")) {
        follow.awaitLine("first attempt", 180);
        Long firstJob = get(name).getStatus().getSlurm().getJobId();
        Files.writeString(release, "");
        assertThat(follow.awaitExit(180)).as(follow.output()).isZero();
        DaskMpiJob done = get(name);
        assertThat(done.getStatus().getPhase()).isEqualTo(Phase.Succeeded);
        Long secondJob = done.getStatus().getSlurm().getJobId();
        assertThat(secondJob).isNotEqualTo(firstJob);
        assertThat(follow.output().lines().filter(l -> !l.startsWith("dask-mpi-runtime: ")))
            .containsExactly(
                "first attempt",
                "dask-mpi-operator: the job was retried: the output of Slurm job "
                    + secondJob
                    + " follows",
                "second attempt");
        assertThat(operator.output()).doesNotContain(kube.userToken("alice"));
      } finally {
        Files.deleteIfExists(release);
        Files.deleteIfExists(marker);
        kube.kubectl(null, "delete", "daskmpijob", name, "-n", NAMESPACE, "--wait=true");
      }
    }
  }

  /**
   * USER's kubeconfig with a tokenFile relative to it, which kubectl reads beside the kubeconfig
   * (and the plugin runs in another directory).
   */
  private Path tokenFileKubeconfig(String user) throws Exception {
    Path kubeconfig = kube.userKubeconfig(user, dir.resolve(user));
    String token = kube.userToken(user);
    Files.writeString(dir.resolve(user + "-token"), token);
    String yaml = Files.readString(kubeconfig);
    assertThat(yaml).contains("{token: \"" + token + "\"}");
    Files.writeString(
        kubeconfig, yaml.replace("{token: \"" + token + "\"}", "{tokenFile: " + user + "-token}"));
    return kubeconfig;
  }

  private static String failingOnceScript(Path marker, Path release) {
    return """
        import os, sys, time
        import dask_mpi
        from distributed import Client

        dask_mpi.initialize()
        with Client() as client:
            if not os.path.exists("%1$s"):
                open("%1$s", "w").close()
                print("first attempt", flush=True)
                deadline = time.monotonic() + 180
                while not os.path.exists("%2$s") and time.monotonic() < deadline:
                    time.sleep(0.2)
                sys.exit(3)
            print("second attempt", flush=True)
        """
        .formatted(marker, release);
  }

  /** The dashboard on a local port: GET /status through the plugin, the operator and the node. */
  private static void dashboardServesStatus(KubectlPlugin alice, String name) throws Exception {
    try (KubectlPlugin.Running dashboard = alice.start("dashboard", name, "--port", "0")) {
      Matcher m = LOCAL_DASHBOARD.matcher(dashboard.awaitLine("Dashboard of team-a/" + name, 60));
      assertThat(m.find()).isTrue();
      HttpResponse<String> status =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(m.group(1)))
                      .timeout(Duration.ofSeconds(30))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(status.statusCode()).isEqualTo(200);
      // Debian ships no Bokeh: /status is Dask's own page asking for it. The scheduler's JSON
      // routes answer with the live cluster: its two workers.
      assertThat(status.body()).contains("Dask");
      HttpResponse<String> counts =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(m.group(1).replace("/status", "/json/counts.json")))
                      .timeout(Duration.ofSeconds(30))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(counts.body()).contains("\"workers\": 2");
    }
  }
}
