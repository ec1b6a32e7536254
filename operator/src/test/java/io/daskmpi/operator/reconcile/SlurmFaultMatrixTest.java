package io.daskmpi.operator.reconcile;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobSpec;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.api.v1alpha1.SlurmJobStatus;
import io.daskmpi.operator.slurm.Fixture;
import io.daskmpi.operator.slurm.rest.SlurmClients;
import io.daskmpi.operator.submit.Examples;
import io.daskmpi.operator.submit.JobIdentity;
import io.daskmpi.operator.testing.TestEndpoints;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slurmrestd fault matrix of issue 9, through a whole reconcile with the real REST client: a
 * running job's resource meets each fault and ends in a named, non-final condition (or, for a job
 * that aged out, the documented outcome), never a wrong phase. WireMock plays slurmrestd 26.05
 * (v0.0.45), from its real answers.
 */
@WireMockTest
class SlurmFaultMatrixTest {
  private static final String V45 = "/slurm/v0.0.45";
  private static final long JOB = 260_542L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JobIdentity id = new JobIdentity("team", "j", "uid-1", Instant.EPOCH);
  private final DaskMpiJobSpec spec = Examples.load("dask-example-local.yaml").getSpec();
  @TempDir Path dir;
  private WireMockRuntimeInfo wm;
  private JobDriver driver;

  @BeforeEach
  void setUp(WireMockRuntimeInfo info) throws IOException {
    wm = info;
    driver = driverFor(URI.create(info.getHttpBaseUrl()));
  }

  private JobDriver driverFor(URI url) throws IOException {
    Path token = Files.writeString(dir.resolve("token"), "token.one\n");
    var config =
        TestEndpoints.config(
            Duration.ZERO, Duration.ofMinutes(5), TestEndpoints.at("default", url, token));
    return new JobDriver(
        new SlurmEndpoints(
            config,
            c -> SlurmClients.connect(c.slurmEndpoint().withTimeout(Duration.ofMillis(800))),
            Clock.systemUTC()),
        Clock.systemUTC());
  }

  private void stub(MappingBuilder mapping) {
    wm.getWireMock().register(mapping);
  }

  /** The 26.05 offer; with {@code history}, slurmrestd also serves slurmdbd's records. */
  private void offer(boolean history) throws IOException {
    ObjectNode doc = (ObjectNode) JSON.readTree(Fixture.body("26.05", "openapi-v3"));
    if (history) {
      ((ObjectNode) doc.path("paths")).putObject("/slurmdb/v0.0.45/job/{job_id}").putObject("get");
    }
    stub(get("/openapi/v3").willReturn(okJson(JSON.writeValueAsString(doc))));
  }

  private static String body(String location, String name) {
    return new String(Fixture.body(location, name), StandardCharsets.UTF_8);
  }

  private DaskMpiJobStatus running() {
    DaskMpiJobStatus s = new DaskMpiJobStatus();
    s.setPhase(Phase.Running);
    s.setMessage("running");
    SlurmJobStatus slurm = new SlurmJobStatus();
    slurm.setJobId(JOB);
    slurm.setCluster("default");
    s.setSlurm(slurm);
    return s;
  }

  private DaskMpiJobStatus reconcile() {
    return driver.reconcile(id, 1L, spec, running(), SubmitIntents.IN_MEMORY);
  }

  private static String reachability(DaskMpiJobStatus s) {
    return s.getConditions().stream()
        .filter(c -> c.getType().equals("SlurmReachable"))
        .map(c -> c.getStatus() + "/" + c.getReason())
        .findFirst()
        .orElse("none");
  }

  private static void assertStillRunningWith(DaskMpiJobStatus s, String reason) {
    assertThat(s.getPhase()).isEqualTo(Phase.Running);
    assertThat(reachability(s)).isEqualTo("False/" + reason);
  }

  @Test
  void slurmrestdDown() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    driver = driverFor(URI.create("http://127.0.0.1:" + closedPort));
    assertStillRunningWith(reconcile(), "SlurmUnavailable");
  }

  @Test
  void serverErrors() throws IOException {
    offer(false);
    stub(get(urlPathMatching(V45 + "/jobs?/.*")).willReturn(aResponse().withStatus(503)));
    assertStillRunningWith(reconcile(), "SlurmUnavailable");
  }

  @Test
  void slowBeyondTheTimeout() throws IOException {
    offer(false);
    stub(get(urlPathMatching(V45 + "/jobs?/.*")).willReturn(okJson("{}").withFixedDelay(3000)));
    assertStillRunningWith(reconcile(), "SlurmUnavailable");
  }

  @Test
  void droppedConnection() throws IOException {
    offer(false);
    stub(
        get(urlPathMatching(V45 + "/jobs?/.*"))
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    assertStillRunningWith(reconcile(), "SlurmUnavailable");
  }

  @Test
  void okWithErrorsInTheBody() throws IOException {
    offer(false);
    String errors =
        "{\"jobs\": [], \"errors\": [{\"error_number\": 1001, \"error\": \"Unable to contact"
            + " slurm controller (connect failure)\"}], \"warnings\": []}";
    stub(get(urlPathMatching(V45 + "/jobs?/.*")).willReturn(okJson(errors)));
    assertStillRunningWith(reconcile(), "SlurmUnavailable");
  }

  @Test
  void expiredToken() throws IOException {
    offer(false);
    stub(
        get(urlPathMatching(V45 + "/jobs?/.*"))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withHeader("Content-Type", "application/json")
                    .withBody(body("26.05/v0.0.45", "auth-bad"))));
    assertStillRunningWith(reconcile(), "SlurmAuthFailed");
  }

  @Test
  void apiVersionGoneIsNamedAndNegotiatedAgain() throws IOException {
    offer(false);
    v45Gone();
    assertStillRunningWith(reconcile(), "SlurmApiUnsupported");

    // slurmrestd now offers v0.0.44 only: the next reconcile speaks it and sees the job again.
    offerWithoutV45();
    stub(
        get(urlPathMatching("/slurm/v0.0.44/jobs?/.*"))
            .willReturn(okJson(runningJobOfThisResource())));
    DaskMpiJobStatus again = reconcile();
    assertThat(again.getPhase()).isEqualTo(Phase.Running);
    assertThat(reachability(again)).isEqualTo("True/Reachable");
  }

  @Test
  void jobAgedOutWithoutAccountingIsUnknownAndSaysWhy() throws IOException {
    offer(false);
    slurmctldForgotTheJob();
    DaskMpiJobStatus s = reconcile();
    assertThat(s.getPhase()).isEqualTo(Phase.Unknown);
    assertThat(s.getMessage()).contains("Slurm no longer knows job " + JOB);
  }

  @Test
  void slurmdbdFailingWhileSlurmctldForgotTheJobIsNotAnEnd() throws IOException {
    offer(true);
    slurmctldForgotTheJob();
    stub(
        get(urlPathEqualTo("/slurmdb/v0.0.45/job/" + JOB)).willReturn(aResponse().withStatus(502)));
    assertStillRunningWith(reconcile(), "SlurmUnavailable");
  }

  @Test
  void aDeletionDuringAVersionChangeNegotiatesAgainAndCancels() throws IOException {
    offer(false);
    v45Gone();
    assertThat(driver.cancel(id, spec, running())).isInstanceOf(Deletion.Blocked.class);

    offerWithoutV45();
    stub(
        get(urlPathEqualTo("/slurm/v0.0.44/job/" + JOB))
            .willReturn(okJson(runningJobOfThisResource())));
    stub(
        com.github.tomakehurst.wiremock.client.WireMock.delete(
                urlPathEqualTo("/slurm/v0.0.44/job/" + JOB))
            .willReturn(okJson("{}")));
    assertThat(driver.cancel(id, spec, running()))
        .isEqualTo(new Deletion.Done(java.util.List.of(JOB)));
  }

  /** slurmrestd answers every v0.0.45 path with its plain-text 404: the version is not loaded. */
  private void v45Gone() {
    stub(
        any(urlPathMatching(V45 + "/.*"))
            .willReturn(aResponse().withStatus(404).withBody("Unable find requested URL")));
  }

  /** The 26.05 offer without v0.0.45, as after slurmrestd was restarted without it. */
  private void offerWithoutV45() throws IOException {
    ObjectNode doc = (ObjectNode) JSON.readTree(Fixture.body("26.05", "openapi-v3"));
    ((ObjectNode) doc.path("paths"))
        .remove(
            iterable(doc.path("paths").fieldNames()).stream()
                .filter(p -> p.startsWith(V45))
                .toList());
    stub(get("/openapi/v3").willReturn(okJson(JSON.writeValueAsString(doc))));
  }

  /** The listing lacks the job and a look-up says "invalid job id": MinJobAge has passed. */
  private void slurmctldForgotTheJob() {
    stub(
        get(urlPathEqualTo(V45 + "/jobs/")).willReturn(okJson(body("26.05/v0.0.45", "jobs-list"))));
    stub(
        get(urlPathEqualTo(V45 + "/job/" + JOB))
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "application/json")
                    .withBody(body("26.05/v0.0.45", "job-notfound"))));
  }

  private String runningJobOfThisResource() {
    return body("26.05/v0.0.44", "job-running")
        .replaceAll("\"job_id\": *\\d+", "\"job_id\": " + JOB)
        .replaceAll("\"comment\": *\"[^\"]*\"", "\"comment\": \"" + id.tag() + "\"")
        .replaceAll("\"user_name\": *\"[^\"]*\"", "\"user_name\": \"" + TestEndpoints.USER + "\"");
  }

  private static <T> java.util.List<T> iterable(java.util.Iterator<T> it) {
    java.util.List<T> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
