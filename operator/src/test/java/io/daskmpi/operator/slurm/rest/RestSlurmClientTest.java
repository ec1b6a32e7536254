package io.daskmpi.operator.slurm.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import io.daskmpi.operator.slurm.Fixture;
import io.daskmpi.operator.slurm.JobListing;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.SlurmEndpoint;
import io.daskmpi.operator.slurm.SlurmJob;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared request flow over replayed real answers of Slurm 24.11 (v0.0.42). */
@WireMockTest
class RestSlurmClientTest {
  private static final String V42 = "/slurm/v0.0.42";

  private SlurmClient connect(WireMockRuntimeInfo wm, Path dir) throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "t");
    wm.getWireMock()
        .register(
            get("/openapi/v3").willReturn(okJson(new String(Fixture.body("24.11", "openapi-v3")))));
    wm.getWireMock()
        .register(
            get(urlPathEqualTo(V42 + "/jobs/"))
                .willReturn(okJson(new String(Fixture.body("24.11/v0.0.42", "jobs-list")))));
    return SlurmClients.connect(new SlurmEndpoint(URI.create(wm.getHttpBaseUrl()), "alice", token));
  }

  @Test
  void changedSinceKeepsActiveJobsAndJobsThatEndedSinceAndUsesTheServersTime(
      WireMockRuntimeInfo wm, @TempDir Path dir) throws Exception {
    SlurmClient client = connect(wm, dir);
    List<SlurmJob> all = client.findByTag("");
    assertThat(all).hasSizeGreaterThan(5);
    Instant since =
        all.stream()
            .filter(SlurmJob::isFinished)
            .map(SlurmJob::lastEventTime)
            .sorted()
            .toList()
            .get(all.size() / 3);

    JobListing listing = client.listChangedSince(since);

    assertThat(listing.unchanged()).isFalse();
    assertThat(listing.asOf()).isEqualTo(Instant.ofEpochSecond(1795461919));
    assertThat(listing.jobs())
        .isNotEmpty()
        .allMatch(j -> !j.isFinished() || !j.lastEventTime().isBefore(since));
    assertThat(all)
        .filteredOn(j -> j.isFinished() && j.lastEventTime().isBefore(since))
        .isNotEmpty()
        .noneMatch(listing.jobs()::contains);
  }
}
