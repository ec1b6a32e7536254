package io.daskmpi.operator.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daskmpi.operator.slurm.SlurmException;
import io.daskmpi.operator.testing.FakeSlurm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HealthServerTest {
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void probesAndMetricsAnswer() throws Exception {
    OperatorMetrics metrics = new OperatorMetrics();
    AtomicBoolean ready = new AtomicBoolean();
    FakeSlurm slurm = new FakeSlurm();
    var client = new MeteredSlurmClient(slurm, "hpc", metrics);
    client.ping();
    slurm.setDown(true);
    assertThatThrownBy(client::ping).isInstanceOf(SlurmException.Unavailable.class);
    metrics.phase("ns/a", io.daskmpi.operator.api.v1alpha1.Phase.Running);

    try (HealthServer server = new HealthServer(0, ready::get, metrics)) {
      assertThat(get(server.port(), "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(server.port(), "/readyz").statusCode()).isEqualTo(503);
      ready.set(true);
      assertThat(get(server.port(), "/readyz").statusCode()).isEqualTo(200);
      HttpResponse<String> scrape = get(server.port(), "/metrics");
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.body())
          .contains("daskmpi_jobs{phase=\"Running\"} 1.0")
          .contains("daskmpi_jobs{phase=\"Failed\"} 0.0")
          .contains(
              "daskmpi_slurm_request_errors_total{api_version=\"v0.0.45\",endpoint=\"hpc\",kind=\"unavailable\",operation=\"ping\"} 1.0")
          .contains(
              "daskmpi_slurm_request_seconds_count{api_version=\"v0.0.45\",endpoint=\"hpc\",operation=\"ping\",outcome=\"ok\"} 1");
    }
  }
}
