package io.daskmpi.operator.slurm.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import io.daskmpi.operator.slurm.ApiVersion;
import io.daskmpi.operator.slurm.ExitStatus;
import io.daskmpi.operator.slurm.Fixture;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.SlurmEndpoint;
import io.daskmpi.operator.slurm.SlurmJob;
import io.daskmpi.operator.slurm.http.JsonCodec;
import io.daskmpi.operator.slurm.http.SlurmHttp;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * slurmdbd's records as real slurmrestd daemons answered them (a job that ran {@code exit 3}, a
 * search by name and tag, an unknown id), replayed through the client for each record format.
 */
@WireMockTest
class JobHistoryReplayTest {
  private static final String TAG = "daskmpi.io/ns/hist-probe/u1";

  private SlurmClient client(WireMockRuntimeInfo wm, Path dir, ApiVersion version)
      throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "t");
    var http =
        new SlurmHttp(
            new SlurmEndpoint(URI.create(wm.getHttpBaseUrl()), "daskjob", token),
            new OkHttpClient());
    return new RestSlurmClient(
        http,
        SlurmClients.dialect(version),
        new JsonCodec(),
        List.of(version.label()),
        true,
        false,
        Clock.systemUTC());
  }

  private static void replay(WireMockRuntimeInfo wm, String location, String name, String path) {
    wm.getWireMock()
        .register(
            get(urlPathEqualTo(path)).willReturn(okJson(new String(Fixture.body(location, name)))));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "22.05, v0.0.38, 22050002, false",
    "24.11/v0.0.40, v0.0.40, 24110002, true",
    "24.11/v0.0.42, v0.0.42, 24110002, true",
    "26.05/v0.0.45, v0.0.45, 26050002, true",
  })
  void aFinishedJobsRecordGivesItsEnd(
      String location,
      String label,
      long jobId,
      boolean exitCodeReported,
      WireMockRuntimeInfo wm,
      @TempDir Path dir)
      throws Exception {
    ApiVersion version = ApiVersion.parse(label).orElseThrow();
    SlurmClient client = client(wm, dir, version);
    String prefix = "/slurmdb/" + label;
    replay(wm, location, "history-job-failed", prefix + "/job/" + jobId);
    replay(wm, location, "history-job-notfound", prefix + "/job/999999");
    wm.getWireMock()
        .register(
            get(urlPathEqualTo(prefix + "/jobs/"))
                .withQueryParam("job_name", equalTo("hist-probe"))
                .withQueryParam("start_time", equalTo("uts1796216000"))
                .willReturn(okJson(new String(Fixture.body(location, "history-jobs-by-name")))));

    SlurmJob job = client.history(jobId, TAG).orElseThrow();
    assertThat(client.history(jobId, "daskmpi.io/ns/hist-probe/someone-else")).isEmpty();
    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(job.comment()).isEqualTo(TAG);
    assertThat(job.userName()).isEqualTo("daskjob");
    assertThat(job.endTime()).isNotNull();
    assertThat(job.isFinished()).isTrue();
    // 22.05's dbv0.0.38 reports exit 0 for every job (sacct says 3:0): the exit stays unknown
    // there.
    assertThat(job.exit()).isEqualTo(exitCodeReported ? ExitStatus.exited(3) : null);

    assertThat(client.history(999999, TAG)).isEmpty();
    Instant since = Instant.ofEpochSecond(1796216000);
    assertThat(client.historyByTag(TAG, "hist-probe", since))
        .extracting(SlurmJob::id)
        .containsExactly(jobId);
    assertThat(client.historyByTag("daskmpi.io/ns/hist-probe/other", "hist-probe", since))
        .isEmpty();
  }
}
