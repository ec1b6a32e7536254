package io.daskmpi.operator.slurm.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import io.daskmpi.operator.slurm.ApiVersion;
import io.daskmpi.operator.slurm.Fixture;
import io.daskmpi.operator.slurm.JobSubmission;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.SlurmEndpoint;
import io.daskmpi.operator.slurm.SlurmException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What no real slurmrestd does on demand: refused connections, time-outs, gateways, malformed and
 * plain-text bodies, odd version offers, and 200 answers that carry errors.
 */
@WireMockTest
class RestSlurmClientFaultTest {
  private static final String V45 = "/slurm/v0.0.45";
  @TempDir Path dir;
  private Path tokenFile;
  private WireMockRuntimeInfo wm;

  @BeforeEach
  void setUp(WireMockRuntimeInfo info) throws IOException {
    wm = info;
    tokenFile = Files.writeString(dir.resolve("token"), "token.one\n");
  }

  private SlurmEndpoint endpoint() {
    return new SlurmEndpoint(URI.create(wm.getHttpBaseUrl()), "daskjob", tokenFile)
        .withTimeout(Duration.ofMillis(800));
  }

  /** A server that offers what Slurm 26.05 offers (v0.0.42 to v0.0.45). */
  private SlurmClient connect2605() {
    wm.getWireMock()
        .register(
            get("/openapi/v3").willReturn(okJson(new String(Fixture.body("26.05", "openapi-v3")))));
    return SlurmClients.connect(endpoint());
  }

  private static JobSubmission job() {
    return JobSubmission.builder("t", "#!/bin/bash\ntrue\n", 3, "/tmp")
        .env("PATH", "/usr/bin:/bin")
        .build();
  }

  @Test
  void refusedConnectionIsUnavailableAndRetriable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    var endpoint = new SlurmEndpoint(URI.create("http://127.0.0.1:" + closedPort), "u", tokenFile);
    assertThatThrownBy(() -> SlurmClients.connect(endpoint))
        .isInstanceOfSatisfying(
            SlurmException.Unavailable.class, e -> assertThat(e.isRetriable()).isTrue())
        .hasMessageContaining("connection refused")
        .hasMessageContaining("127.0.0.1:" + closedPort);
  }

  @Test
  void slowServerTimesOut() {
    wm.getWireMock().register(get("/openapi/v3").willReturn(okJson("{}").withFixedDelay(3000)));
    long start = System.nanoTime();
    assertThatThrownBy(() -> SlurmClients.connect(endpoint()))
        .isInstanceOf(SlurmException.Unavailable.class)
        .hasMessageContaining("timed out");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
  }

  @Test
  void droppedConnectionIsUnavailable() {
    wm.getWireMock()
        .register(
            get("/openapi/v3").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    assertThatThrownBy(() -> SlurmClients.connect(endpoint()))
        .isInstanceOf(SlurmException.Unavailable.class);
  }

  @Test
  void gatewayErrorsAreUnavailable() {
    SlurmClient client = connect2605();
    wm.getWireMock()
        .register(
            get(V45 + "/job/7")
                .willReturn(aResponse().withStatus(502).withBody("<html>Bad Gateway</html>")));
    wm.getWireMock()
        .register(get(urlPathEqualTo(V45 + "/jobs/")).willReturn(aResponse().withStatus(503)));
    assertThatThrownBy(() -> client.get(7))
        .isInstanceOf(SlurmException.Unavailable.class)
        .hasMessageContaining("HTTP 502")
        .hasMessageContaining("Bad Gateway");
    assertThatThrownBy(() -> client.listChangedSince(Instant.EPOCH))
        .isInstanceOf(SlurmException.Unavailable.class)
        .hasMessageContaining("HTTP 503");
  }

  @Test
  void malformedJsonIsAProtocolError() {
    SlurmClient client = connect2605();
    wm.getWireMock()
        .register(get(V45 + "/job/7").willReturn(okJson("{\"jobs\": [ {\"job_id\": 7, ")));
    assertThatThrownBy(() -> client.get(7))
        .isInstanceOf(SlurmException.Protocol.class)
        .hasMessageContaining("malformed JSON from GET " + V45 + "/job/7");
  }

  @Test
  void plainTextErrorBodiesAreQuoted() {
    SlurmClient client = connect2605();
    wm.getWireMock()
        .register(
            get(V45 + "/ping/")
                .willReturn(
                    aResponse()
                        .withStatus(401)
                        .withHeader("Content-Type", "text/plain")
                        .withBody("Authentication failure")));
    assertThatThrownBy(client::ping)
        .isInstanceOf(SlurmException.Auth.class)
        .hasMessageContaining("HTTP 401")
        .hasMessageContaining("Authentication failure");
  }

  @Test
  void serverWithNoVersionWeSpeakIsRefusedClearly() {
    wm.getWireMock()
        .register(
            get("/openapi/v3")
                .willReturn(
                    okJson(
                        "{\"openapi\":\"3.0.2\",\"paths\":{\"/slurm/v0.0.37/ping\":{},\"/slurm/v0.0.36/ping\":{}}}")));
    assertThatThrownBy(() -> SlurmClients.connect(endpoint()))
        .isInstanceOf(SlurmException.Unsupported.class)
        .hasMessageContaining("slurmrestd offers v0.0.37, v0.0.36");
  }

  @Test
  void withoutAnOpenApiDocumentVersionsAreProbed() {
    wm.getWireMock().register(get("/openapi/v3").willReturn(aResponse().withStatus(404)));
    wm.getWireMock().register(get(urlPathEqualTo("/slurm/v0.0.41/ping/")).willReturn(okJson("{}")));
    wm.getWireMock().register(get(urlPathEqualTo("/slurm/v0.0.40/ping/")).willReturn(okJson("{}")));
    wm.getWireMock().register(get(urlPathEqualTo("/slurm/v0.0.41/ping/")).willReturn(okJson("{}")));
    SlurmClient client = SlurmClients.connect(endpoint());
    assertThat(client.apiVersion()).isEqualTo(ApiVersion.V0_0_41);
  }

  @Test
  void negotiationPicksTheNewestOfEachRealServer() {
    for (String[] c :
        new String[][] {{"22.05", "v0.0.38"}, {"24.11", "v0.0.42"}, {"26.05", "v0.0.45"}}) {
      wm.getWireMock()
          .register(
              get("/openapi/v3").willReturn(okJson(new String(Fixture.body(c[0], "openapi-v3")))));
      assertThat(SlurmClients.connect(endpoint()).apiVersion().label()).as(c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void submitWithErrorsAndAJobIdSucceedsWithWarnings() {
    SlurmClient client = connect2605();
    wm.getWireMock()
        .register(
            post(V45 + "/job/submit")
                .willReturn(
                    okJson(
                        "{\"job_id\": 42, \"errors\": [{\"error_number\": 2015, \"error\": \"Requested partition configuration not available now\"}], \"warnings\": [{\"description\": \"held\"}]}")));
    var result = client.submit(job());
    assertThat(result.jobId()).isEqualTo(42);
    assertThat(result.warnings())
        .hasSize(2)
        .anyMatch(w -> w.contains("2015"))
        .anyMatch(w -> w.contains("held"));
  }

  @Test
  void submitWithErrorsAndNoJobIsRejected() {
    SlurmClient client = connect2605();
    wm.getWireMock()
        .register(
            post(V45 + "/job/submit")
                .willReturn(
                    okJson(
                        "{\"errors\": [{\"error_number\": 2000, \"error\": \"Invalid partition name specified\"}], \"warnings\": []}")));
    assertThatThrownBy(() -> client.submit(job()))
        .isInstanceOf(SlurmException.Rejected.class)
        .hasMessageContaining("Invalid partition name specified [2000]");
  }

  @Test
  void submitWithOnlyWarningsAndNoJobIsRejectedWithTheWarnings() {
    SlurmClient client = connect2605();
    wm.getWireMock()
        .register(
            post(V45 + "/job/submit")
                .willReturn(
                    okJson(new String(Fixture.body("26.05/v0.0.45", "submit-badpayload")))));
    assertThatThrownBy(() -> client.submit(job()))
        .isInstanceOf(SlurmException.Rejected.class)
        .hasMessageContaining("slurmrestd created no job");
  }

  @Test
  void everyRequestCarriesUserAndCurrentTokenOverHttp11() throws IOException {
    SlurmClient client = connect2605();
    wm.getWireMock().register(post(V45 + "/job/submit").willReturn(okJson("{\"job_id\": 5}")));
    client.submit(job());
    Files.writeString(tokenFile, "token.two");
    Files.setLastModifiedTime(tokenFile, FileTime.from(Instant.now().plusSeconds(10)));
    client.submit(job());

    wm.getWireMock()
        .verifyThat(
            getRequestedFor(urlPathEqualTo("/openapi/v3"))
                .withHeader("X-SLURM-USER-NAME", equalTo("daskjob"))
                .withHeader("X-SLURM-USER-TOKEN", equalTo("token.one")));
    wm.getWireMock()
        .verifyThat(
            1,
            postRequestedFor(urlPathEqualTo(V45 + "/job/submit"))
                .withHeader("X-SLURM-USER-TOKEN", equalTo("token.two")));
    assertThat(wm.getWireMock().getServeEvents())
        .allSatisfy(e -> assertThat(e.getRequest().getHeader("Upgrade")).isNull());
  }

  @Test
  void v38NotModifiedMeansNoChangeNotGone() {
    wm.getWireMock()
        .register(
            get("/openapi/v3").willReturn(okJson(new String(Fixture.body("22.05", "openapi-v3")))));
    SlurmClient client = SlurmClients.connect(endpoint());
    wm.getWireMock()
        .register(
            get(urlPathEqualTo("/slurm/v0.0.38/jobs/")).willReturn(aResponse().withStatus(304)));
    Instant since = Instant.parse("2026-11-23T19:00:00Z");
    var listing = client.listChangedSince(since);
    assertThat(listing.unchanged()).isTrue();
    assertThat(listing.jobs()).isEmpty();
    assertThat(listing.asOf()).isEqualTo(since);
    wm.getWireMock()
        .verifyThat(
            getRequestedFor(urlPathEqualTo("/slurm/v0.0.38/jobs/"))
                .withQueryParam("update_time", equalTo(Long.toString(since.getEpochSecond()))));
  }

  @Test
  void cancelOfAnUnknownJobIsNotFound() {
    SlurmClient client = connect2605();
    wm.getWireMock()
        .register(
            delete(V45 + "/job/999999")
                .willReturn(
                    okJson(new String(Fixture.body("26.05/v0.0.45", "job-notfound-delete")))));
    assertThatThrownBy(() -> client.cancel(999999)).isInstanceOf(SlurmException.NotFound.class);
  }
}
