package io.daskmpi.operator.bench;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.api.v1alpha1.SlurmOptions;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.rest.SlurmClients;
import io.daskmpi.operator.submit.Examples;
import io.daskmpi.operator.testing.LocalKube;
import io.daskmpi.operator.testing.LocalSlurm;
import io.daskmpi.operator.testing.OperatorProcess;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * {@code dev/bench-scale}: what the operator costs slurmrestd, the API server and its own JVM with
 * F other users' jobs on the cluster and R DaskMpiJobs of ours, on the real API server
 * (dev/local-kube) and the real 26.05 slurmrestd (dev/local-slurm). Every job waits in the
 * partition {@code parked} (State=DOWN), so thousands fit on one machine.
 */
public final class ScaleBenchmark {
  static final String PARKED = "parked";
  private static final Path JAR =
      LocalSlurm.repo().resolve("operator/target/dask-mpi-operator.jar");

  /** slurmrestd answers an h2c upgrade with 406: HTTP/1.1 only. */
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final ScaleSettings settings;
  private final PrintStream progress;

  ScaleBenchmark(ScaleSettings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
  }

  public static void main(String[] args) throws Exception {
    ScaleSettings settings;
    try {
      settings = ScaleSettings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    new ScaleBenchmark(settings, System.err).run(result -> result.print(System.out));
    System.exit(0); // the Kubernetes client's threads would keep the JVM alive
  }

  /**
   * Runs the benchmark; {@code report} gets the result as soon as it is measured, before the
   * resources are deleted and the parked jobs cancelled (which can take many minutes at 10,000).
   */
  ScaleResult run(Consumer<ScaleResult> report) throws Exception {
    LocalKube kube = LocalKube.of();
    kube.applyCrds();
    LocalSlurm slurm = LocalSlurm.of("26.05");
    SlurmClient rest = SlurmClients.connect(slurm.endpoint());
    String namespace = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    String release = rest.ping().slurmRelease() + " (REST " + rest.apiVersion().label() + ")";
    try {
      say(
          "%,d foreign held jobs (submitting what an earlier run left missing)",
          settings.foreignJobs());
      say("submitted %,d", ForeignJobs.submit(rest, slurm, settings.foreignJobs()));
      long runOnce = settings.runOnce() ? timeRunOnce(slurm) : -1;
      int port = freePort();
      try (KubernetesClient client = kube.client();
          OperatorProcess operator =
              OperatorProcess.start(
                  OperatorProcess.Packaging.JAR,
                  kube,
                  slurm,
                  namespace,
                  Map.of(
                      "DASKMPI_POLL_INTERVAL",
                      settings.pollInterval().toMillis() + "ms",
                      "DASKMPI_HEALTH_PORT",
                      Integer.toString(port),
                      "JAVA_TOOL_OPTIONS",
                      "-Xmx" + settings.heap()));
          SubmitLatency latency = new SubmitLatency(client, namespace)) {
        awaitReady(port, operator);
        say("creating %,d DaskMpiJobs at %.0f/s", settings.resources(), settings.rate());
        PrometheusText burstStart = operatorMetrics(port);
        create(client, namespace, latency);
        Duration limit = Duration.ofSeconds(120 + settings.resources() / 20);
        latency.awaitSubmitted(settings.resources(), limit);
        PrometheusText burstEnd = operatorMetrics(port);
        latency.awaitPhase(Phase.Queued, settings.resources(), limit);
        say("steady: measuring over %d poll intervals", settings.polls());
        Window window = measure(kube, port, new ProcessProbe(operator.pid()));
        ProcessProbe probe = new ProcessProbe(operator.pid());
        double heap = probe.heapAfterGcMiB();
        double rss = probe.rssMiB();
        long[] listing = fullListing(slurm);
        List<Long> millis = latency.millis();
        ScaleResult result =
            new ScaleResult(
                settings,
                "Slurm " + release,
                listing[0],
                listing[1] / 1000.0,
                window.polls(),
                window.perPoll(window.bytes()),
                window.perPoll(window.requests()),
                window.perPoll(window.apiWrites()),
                window.perPoll(window.cpuSeconds()),
                SubmitLatency.percentile(millis, 50),
                SubmitLatency.percentile(millis, 99),
                slurmSubmitMeanMs(burstStart, burstEnd),
                burstEnd.sum("daskmpi_slurm_request_seconds_max", SUBMIT) * 1000,
                heap,
                rss,
                runOnce);
        report.accept(result);
        say("deleting the DaskMpiJobs (the operator cancels their Slurm jobs)");
        long deleteStart = System.nanoTime();
        deleteAll(client, namespace, latency);
        say("all deleted and cancelled in %.0f s", (System.nanoTime() - deleteStart) / 1e9);
        operator.terminate(Duration.ofSeconds(60));
        return result;
      }
    } finally {
      say(
          "cancelling what waits in partition %s%s",
          PARKED, settings.keepForeign() ? " but the foreign jobs" : "");
      ForeignJobs.cancelParked(slurm, settings.keepForeign());
    }
  }

  /**
   * Deletes every resource of the namespace and waits until the operator has cancelled their jobs
   * and let them go (about ten a second here). A delete-collection of thousands outlasts the
   * client's timeout, and the API server then stops deleting too: it is sent again each round until
   * none is left.
   */
  private void deleteAll(KubernetesClient client, String namespace, SubmitLatency latency)
      throws Exception {
    long deadline =
        System.nanoTime() + Duration.ofSeconds(300 + settings.resources() / 4).toNanos();
    while (true) {
      try {
        client.resources(DaskMpiJob.class).inNamespace(namespace).delete();
      } catch (KubernetesClientException e) {
        say("delete: %s; sending it again for what is left", e.getMessage());
      }
      try {
        latency.awaitGone(Duration.ofMinutes(2));
        return;
      } catch (TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }

  private void create(KubernetesClient client, String namespace, SubmitLatency latency)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> creates = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < settings.resources(); i++) {
        DaskMpiJob job = parkedJob(String.format("bench-%05d", i), namespace);
        // Paces the creations at the asked rate.
        long wait = start + (long) (i * 1e9 / settings.rate()) - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        creates.add(
            pool.submit(
                () -> {
                  latency.creating(job.getMetadata().getName());
                  return client.resource(job).create();
                }));
      }
      for (Future<?> f : creates) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static DaskMpiJob parkedJob(String name, String namespace) {
    DaskMpiJob job = Examples.load("dask-example-local.yaml");
    job.getMetadata().setName(name);
    job.getMetadata().setNamespace(namespace);
    SlurmOptions slurm = new SlurmOptions();
    slurm.setPartition(PARKED);
    job.getSpec().setSlurm(slurm);
    return job;
  }

  private static final Map<String, String> SUBMIT = Map.of("operation", "submit");

  private static PrometheusText operatorMetrics(int port) throws IOException, InterruptedException {
    return new PrometheusText(get("http://127.0.0.1:" + port + "/metrics"));
  }

  /** The mean time slurmrestd took to answer the burst's submits: Slurm's share of the latency. */
  private static double slurmSubmitMeanMs(PrometheusText start, PrometheusText end) {
    String sum = "daskmpi_slurm_request_seconds_sum";
    String count = "daskmpi_slurm_request_seconds_count";
    double n = end.sum(count, SUBMIT) - start.sum(count, SUBMIT);
    return n <= 0 ? Double.NaN : (end.sum(sum, SUBMIT) - start.sum(sum, SUBMIT)) * 1000 / n;
  }

  /** Counters read before and after the measured poll intervals. */
  private record Counters(
      double bytes, double requests, double polls, double apiWrites, double cpuSeconds) {}

  /** The differences over the window. */
  private record Window(
      double bytes, double requests, double polls, double apiWrites, double cpuSeconds) {
    double perPoll(double total) {
      return polls <= 0 ? Double.NaN : total / polls;
    }
  }

  private Window measure(LocalKube kube, int port, ProcessProbe probe) throws Exception {
    Counters before = counters(kube, port, probe);
    // The window itself: the operator works on its own clock meanwhile.
    Thread.sleep(settings.pollInterval().toMillis() * settings.polls());
    Counters after = counters(kube, port, probe);
    return new Window(
        after.bytes() - before.bytes(),
        after.requests() - before.requests(),
        after.polls() - before.polls(),
        after.apiWrites() - before.apiWrites(),
        after.cpuSeconds() - before.cpuSeconds());
  }

  private static Counters counters(LocalKube kube, int port, ProcessProbe probe)
      throws IOException, InterruptedException {
    PrometheusText operator = operatorMetrics(port);
    PrometheusText apiServer;
    try (KubernetesClient client = kube.client()) {
      apiServer = new PrometheusText(client.raw("/metrics"));
    }
    String writes = "CREATE|POST|UPDATE|PUT|PATCH|APPLY|DELETE|DELETECOLLECTION";
    double apiWrites =
        apiServer.sum("apiserver_request_total", Map.of("resource", "daskmpijobs", "verb", writes))
            + apiServer.sum(
                "apiserver_request_total", Map.of("resource", "events", "verb", writes));
    return new Counters(
        operator.sum("daskmpi_slurm_response_bytes_total", Map.of()),
        operator.sum("daskmpi_slurm_http_requests_total", Map.of()),
        operator.sum("daskmpi_slurm_request_seconds_count", Map.of("operation", "states")),
        apiWrites,
        probe.cpuSeconds());
  }

  /** One full listing of the cluster, as the operator no longer makes: its size and time. */
  private static long[] fullListing(LocalSlurm slurm) throws IOException, InterruptedException {
    String token = Files.readString(Path.of(slurm.require("DASKMPI_SLURM_TOKEN_FILE"))).trim();
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(slurm.require("DASKMPI_SLURM_URL") + "/slurm/v0.0.45/jobs/"))
            .header("X-SLURM-USER-NAME", slurm.user())
            .header("X-SLURM-USER-TOKEN", token)
            .build();
    long t0 = System.nanoTime();
    HttpResponse<byte[]> reply = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    if (reply.statusCode() != 200) {
      throw new IOException("GET /jobs/: HTTP " + reply.statusCode());
    }
    return new long[] {reply.body().length, took};
  }

  /**
   * {@code run -f} of one job (parked), from the process start to its "Submitted" line; then
   * SIGTERM, whose hook cancels the job. The median of three.
   */
  private long timeRunOnce(LocalSlurm slurm) throws Exception {
    String yaml =
        Files.readString(Examples.dir().resolve("dask-example-local.yaml"))
            .replace(
                "  mpi: {plugin: none}\n", "  mpi: {plugin: none}\n  slurm: {partition: parked}\n");
    Path file = Files.createTempFile("bench-run-", ".yaml");
    Files.writeString(file, yaml);
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ProcessBuilder pb =
          new ProcessBuilder("java", "-jar", JAR.toString(), "run", "-f", file.toString());
      pb.environment().putAll(slurm.environment());
      pb.redirectErrorStream(true);
      long t0 = System.nanoTime();
      Process p = pb.start();
      try (var out =
          new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("Submitted:")) {
          if (line.startsWith("Failed:")) {
            throw new IOException("run -f failed: " + line);
          }
        }
        if (line == null) {
          throw new IOException("run -f ended without a Submitted line");
        }
        times.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
        p.waitFor(60, TimeUnit.SECONDS);
      }
    }
    Files.delete(file);
    times.sort(null);
    say("run -f to Submitted: %s ms", times);
    return times.get(1);
  }

  private static void awaitReady(int port, OperatorProcess operator) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        get("http://127.0.0.1:" + port + "/readyz");
        return;
      } catch (IOException notYet) {
        Thread.sleep(200); // polling the readiness endpoint
      }
    }
    throw new IOException("the operator did not become ready:\n" + operator.output());
  }

  private static String get(String url) throws IOException, InterruptedException {
    HttpResponse<String> reply =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    if (reply.statusCode() != 200) {
      throw new IOException(url + ": HTTP " + reply.statusCode());
    }
    return reply.body();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void say(String format, Object... args) {
    progress.printf("bench-scale: " + format + "%n", args);
  }
}
