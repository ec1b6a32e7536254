package io.daskmpi.operator.monitoring;

import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.slurm.http.HttpTraffic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's own Prometheus metrics, beside JOSDK's reconcile metrics in the same registry:
 * submissions, cancellations, Slurm request latency and errors by endpoint and REST API version,
 * and DaskMpiJobs by phase.
 */
public final class OperatorMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Phase> phases = new ConcurrentHashMap<>();

  public OperatorMetrics() {
    for (Phase phase : Phase.values()) {
      Gauge.builder(
              "daskmpi_jobs", phases, m -> m.values().stream().filter(p -> p == phase).count())
          .description("DaskMpiJobs by phase, as this operator last saw them")
          .tag("phase", phase.name())
          .register(registry);
    }
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    return registry.scrape();
  }

  public void phase(String resource, Phase phase) {
    phases.put(resource, phase);
  }

  public void forget(String resource) {
    phases.remove(resource);
  }

  void request(String endpoint, String apiVersion, String operation, Duration took, String error) {
    Timer.builder("daskmpi_slurm_request_seconds")
        .description("slurmrestd requests by endpoint, REST API version and operation")
        .tags(
            "endpoint",
            endpoint,
            "api_version",
            apiVersion,
            "operation",
            operation,
            "outcome",
            error == null ? "ok" : "error")
        .register(registry)
        .record(took);
    if (error != null) {
      Counter.builder("daskmpi_slurm_request_errors")
          .description("failed slurmrestd requests by kind of failure")
          .tags(
              "endpoint",
              endpoint,
              "api_version",
              apiVersion,
              "operation",
              operation,
              "kind",
              error)
          .register(registry)
          .increment();
    }
  }

  /**
   * Counts what the operator costs an endpoint's slurmrestd at the wire: HTTP exchanges by method
   * and the bytes of their answers ({@code dev/bench-scale} reads these per poll interval).
   */
  public HttpTraffic traffic(String endpoint) {
    return (method, responseBytes) -> {
      Counter.builder("daskmpi_slurm_http_requests")
          .description("HTTP exchanges with slurmrestd by endpoint and method")
          .tags("endpoint", endpoint, "method", method)
          .register(registry)
          .increment();
      Counter.builder("daskmpi_slurm_response_bytes")
          .description("bytes of slurmrestd's answers by endpoint")
          .baseUnit("bytes")
          .tag("endpoint", endpoint)
          .register(registry)
          .increment(responseBytes);
    };
  }

  void submitted(String endpoint) {
    Counter.builder("daskmpi_submissions")
        .description("Slurm jobs submitted")
        .tag("endpoint", endpoint)
        .register(registry)
        .increment();
  }

  void cancelled(String endpoint) {
    Counter.builder("daskmpi_cancellations")
        .description("Slurm jobs cancelled")
        .tag("endpoint", endpoint)
        .register(registry)
        .increment();
  }
}
