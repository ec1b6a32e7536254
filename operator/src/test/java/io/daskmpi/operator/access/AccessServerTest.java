package io.daskmpi.operator.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.access.CallerCheck.Outcome;
import io.daskmpi.operator.access.CallerCheck.Verdict;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobSpec;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.api.v1alpha1.SlurmJobStatus;
import io.daskmpi.operator.config.EndpointConfig;
import io.daskmpi.operator.config.JobAccess;
import io.daskmpi.operator.config.OperatorConfig;
import io.daskmpi.operator.testing.TestEndpoints;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access API over real sockets, with the caller check and the jobs given by the test: every
 * refusal's status and message, a log, and a tunnel to a stand-in dashboard.
 */
class AccessServerTest {
  private static final String TOKEN = "alice-token";
  @TempDir Path dir;

  private final Map<String, DaskMpiJob> jobs = new ConcurrentHashMap<>();
  private AccessServer server;
  private JobAccess access;

  /** alice may see everything; bob nothing; any other token is unknown. */
  private static Verdict check(String token, JobRoute route) {
    return switch (token) {
      case TOKEN -> Verdict.ALLOWED;
      case "bob-token" -> new Verdict(Outcome.FORBIDDEN, "bob may not");
      default -> new Verdict(Outcome.UNAUTHENTICATED, "unknown token");
    };
  }

  @BeforeEach
  void start() throws IOException {
    access =
        new JobAccess(
            Map.of("/cluster", dir.toString()),
            true,
            List.of(new JobAccess.PortRange(1024, 65535)));
    startWith(access);
  }

  private void startWith(JobAccess a) throws IOException {
    if (server != null) {
      server.close();
    }
    EndpointConfig endpoint = TestEndpoints.fake("default", a);
    OperatorConfig config =
        new OperatorConfig(
            Map.of("default", endpoint), Set.of(), Duration.ofSeconds(1), Duration.ofMinutes(5));
    server =
        new AccessServer(
            0,
            AccessServerTest::check,
            new JobViews(
                route -> Optional.ofNullable(jobs.get(route.namespace() + "/" + route.name())),
                config,
                () -> {
                  throw new AssertionError("no test here follows a running job");
                },
                Duration.ZERO));
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  private void job(String name, Phase phase, String outputFile, String dashboardUrl) {
    DaskMpiJob job = new DaskMpiJob();
    job.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("team-a").build());
    job.setSpec(new DaskMpiJobSpec());
    DaskMpiJobStatus status = new DaskMpiJobStatus();
    status.setPhase(phase);
    SlurmJobStatus slurm = new SlurmJobStatus();
    slurm.setOutputFile(outputFile);
    status.setSlurm(slurm);
    status.setDashboardURL(dashboardUrl);
    job.setStatus(status);
    jobs.put("team-a/" + name, job);
  }

  private record Answer(int status, String head, String body) {}

  private Answer get(String target, String... headers) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: t\r\n");
      for (String h : headers) {
        request.append(h).append("\r\n");
      }
      s.getOutputStream().write((request + "\r\n").getBytes(StandardCharsets.US_ASCII));
      String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int end = all.indexOf("\r\n\r\n");
      return new Answer(
          Integer.parseInt(all.split(" ")[1]), all.substring(0, end), all.substring(end + 4));
    }
  }

  private Answer asAlice(String target) throws IOException {
    return get(target, "Authorization: Bearer " + TOKEN);
  }

  @Test
  void aLogIsServedToAnAllowedCallerAsTheJobWroteItOrForOneRank() throws IOException {
    Files.writeString(dir.resolve("out"), "0 scheduler: up\n1 client: Dask result: 42\n");
    job("sum", Phase.Succeeded, "/cluster/out", null);

    Answer all = asAlice("/v1/namespaces/team-a/daskmpijobs/sum/log");
    Answer client = asAlice("/v1/namespaces/team-a/daskmpijobs/sum/log?rank=1&follow=true");

    assertThat(all.status()).isEqualTo(200);
    assertThat(all.head()).contains("Content-Type: text/plain").contains("Connection: close");
    assertThat(all.body()).isEqualTo("0 scheduler: up\n1 client: Dask result: 42\n");
    assertThat(client.body()).isEqualTo("Dask result: 42\n");
  }

  @Test
  void callersWithoutAnAllowedTokenGetNothing() throws IOException {
    Files.writeString(dir.resolve("out"), "secret output\n");
    job("sum", Phase.Succeeded, "/cluster/out", null);
    String log = "/v1/namespaces/team-a/daskmpijobs/sum/log";

    Answer none = get(log);
    Answer unknown = get(log, "Authorization: Bearer made-up");
    Answer bob = get(log, "Authorization: Bearer bob-token");

    assertThat(none.status()).isEqualTo(401);
    assertThat(none.head()).contains("WWW-Authenticate: Bearer");
    assertThat(none.body()).contains("no bearer token");
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.body()).isEqualTo("unknown token\n");
    assertThat(bob.status()).isEqualTo(403);
    assertThat(bob.body()).isEqualTo("bob may not\n");
    assertThat(none.body() + unknown.body() + bob.body()).doesNotContain("secret");
  }

  @Test
  void everyOtherRefusalSaysWhatIsWrong() throws IOException {
    job("queued", Phase.Queued, null, null);
    job("elsewhere", Phase.Succeeded, "/srv/out", null);
    job("gone", Phase.Succeeded, "/cluster/missing", null);

    assertThat(asAlice("/v1/namespaces/team-a/daskmpijobs/nope/log"))
        .extracting(Answer::status, Answer::body)
        .containsExactly(404, "no DaskMpiJob nope in namespace team-a\n");
    assertThat(asAlice("/v1/namespaces/team-a/daskmpijobs/queued/log").body())
        .isEqualTo("queued has no output file (phase Queued)\n");
    assertThat(asAlice("/v1/namespaces/team-a/daskmpijobs/elsewhere/log"))
        .extracting(Answer::status, Answer::body)
        .containsExactly(
            501, "no access.outputPaths entry of endpoint 'default' covers /srv/out\n");
    assertThat(asAlice("/v1/namespaces/team-a/daskmpijobs/gone/log").body())
        .isEqualTo("the output file /cluster/missing does not exist (yet)\n");
    assertThat(asAlice("/v1/namespaces/team-a/daskmpijobs/queued/log?rank=x").status())
        .isEqualTo(400);
    assertThat(asAlice("/v1/namespaces/team-a/daskmpijobs/queued/dashboard"))
        .extracting(Answer::status, Answer::body)
        .containsExactly(
            426,
            "the dashboard is a tunnel (Upgrade: daskmpi-tunnel): use kubectl daskmpi dashboard"
                + " queued\n");
    assertThat(
            get(
                    "/v1/namespaces/team-a/daskmpijobs/queued/dashboard",
                    "Authorization: Bearer " + TOKEN,
                    "Connection: Upgrade",
                    "Upgrade: daskmpi-tunnel")
                .body())
        .isEqualTo("queued is Queued: a dashboard exists only while the job runs\n");
    assertThat(asAlice("/metrics").status()).isEqualTo(404);
  }

  @Test
  void anOutputFileReachedThroughASymbolicLinkIsRefused() throws IOException {
    Path secret = Files.writeString(Files.createTempFile("operator-secret", ""), "jwt-signing-key");
    Files.createSymbolicLink(dir.resolve("out"), secret);
    Files.createDirectory(dir.resolve("real"));
    Files.writeString(dir.resolve("real/out"), "jwt-signing-key\n");
    Files.createSymbolicLink(dir.resolve("linked"), dir.resolve("real"));
    job("file", Phase.Succeeded, "/cluster/out", null);
    job("dir", Phase.Succeeded, "/cluster/linked/out", null);

    Answer file = asAlice("/v1/namespaces/team-a/daskmpijobs/file/log");
    Answer directory = asAlice("/v1/namespaces/team-a/daskmpijobs/dir/log?follow=true");

    assertThat(file.status()).isEqualTo(403);
    assertThat(file.body()).contains("/cluster/out is refused").doesNotContain("jwt");
    assertThat(directory.status()).as("a follow answers at once").isEqualTo(200);
    assertThat(directory.body())
        .startsWith("dask-mpi-operator: the output file /cluster/linked/out is refused")
        .doesNotContain("jwt");
    Files.delete(secret);
  }

  @Test
  void theTunnelReachesOnlyTheAllowedDashboardPorts() throws IOException {
    job("sum", Phase.Running, "/cluster/out", "http://127.0.0.1:22/status");
    Answer ssh =
        get(
            "/v1/namespaces/team-a/daskmpijobs/sum/dashboard",
            "Authorization: Bearer " + TOKEN,
            "Upgrade: daskmpi-tunnel");
    assertThat(ssh.status()).isEqualTo(403);
    assertThat(ssh.body())
        .isEqualTo(
            "the dashboard port 22 is not among access.dashboardPorts of endpoint 'default'\n");
  }

  @Test
  void anEndpointThatAllowsNothingSaysSo() throws IOException {
    startWith(JobAccess.NONE);
    job("sum", Phase.Running, "/cluster/out", "http://127.0.0.1:1/status");

    assertThat(asAlice("/v1/namespaces/team-a/daskmpijobs/sum/log"))
        .extracting(Answer::status, Answer::body)
        .containsExactly(
            501,
            "the operator cannot read job output on endpoint 'default': its configuration has no"
                + " access.outputPaths (a shared filesystem mounted into the operator)\n");
    assertThat(
            get(
                    "/v1/namespaces/team-a/daskmpijobs/sum/dashboard",
                    "Authorization: Bearer " + TOKEN,
                    "Upgrade: daskmpi-tunnel")
                .body())
        .isEqualTo(
            "the operator may not reach dashboards on endpoint 'default': its configuration has"
                + " access.dashboards false\n");
  }

  @Test
  void theDashboardIsATunnelToTheBatchHost() throws Exception {
    try (ServerSocket dashboard = new ServerSocket(0)) {
      Thread echo =
          new Thread(
              () -> {
                try (Socket s = dashboard.accept()) {
                  s.getInputStream().transferTo(s.getOutputStream());
                } catch (IOException ignored) {
                  // the test ended
                }
              });
      echo.start();
      job(
          "sum",
          Phase.Running,
          "/cluster/out",
          "http://127.0.0.1:" + dashboard.getLocalPort() + "/status");
      try (Socket s = new Socket("127.0.0.1", server.port())) {
        OutputStream out = s.getOutputStream();
        out.write(
            ("GET /v1/namespaces/team-a/daskmpijobs/sum/dashboard HTTP/1.1\r\nAuthorization: Bearer "
                    + TOKEN
                    + "\r\nConnection: Upgrade\r\nUpgrade: daskmpi-tunnel\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        String head = readHead(in);
        assertThat(head).startsWith("HTTP/1.1 101 ").contains("Upgrade: daskmpi-tunnel");
        out.write("GET /status HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.shutdownOutput();
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII))
            .isEqualTo("GET /status HTTP/1.1\r\n\r\n");
      }
      echo.join(10_000);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    return head.toString();
  }
}
