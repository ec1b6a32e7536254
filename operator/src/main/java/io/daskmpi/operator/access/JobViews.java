package io.daskmpi.operator.access;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.config.EndpointConfig;
import io.daskmpi.operator.config.JobAccess;
import io.daskmpi.operator.config.OperatorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * What an allowed caller gets: a job's output (as it is, or following it while the job runs), or a
 * byte tunnel to its Dask dashboard. Everything that can go wrong before the first byte is a {@link
 * Refusal} with a message that says what to change.
 */
final class JobViews {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final Function<JobRoute, Optional<DaskMpiJob>> jobs;
  private final OperatorConfig config;
  private final OutputFollower.Pause pause;

  JobViews(
      Function<JobRoute, Optional<DaskMpiJob>> jobs,
      OperatorConfig config,
      OutputFollower.Pause pause) {
    this.jobs = jobs;
    this.config = config;
    this.pause = pause;
  }

  void log(JobRoute route, RequestHead request, OutputStream out)
      throws Refusal, IOException, InterruptedException {
    boolean follow = "true".equals(request.query().get("follow"));
    RankFilter filter = rankFilter(request.query().get("rank"));
    DaskMpiJob job = job(route);
    JobAccess access = access(job);
    if (access.outputPaths().isEmpty()) {
      throw new Refusal(
          501,
          "the operator cannot read job output on endpoint '"
              + cluster(job)
              + "': its configuration has no access.outputPaths (a shared filesystem mounted into the operator)");
    }
    String clusterPath = outputFile(job);
    while (clusterPath == null && follow && !ended(job)) {
      pause.pause();
      job = job(route);
      clusterPath = outputFile(job);
    }
    if (clusterPath == null) {
      throw new Refusal(404, route.name() + " has no output file (phase " + phase(job) + ")");
    }
    String endpoint = cluster(job);
    String wanted = clusterPath;
    Path file =
        access
            .localPath(wanted)
            .orElseThrow(
                () ->
                    new Refusal(
                        501,
                        "no access.outputPaths entry of endpoint '"
                            + endpoint
                            + "' covers "
                            + wanted));
    if (!follow && !Files.isReadable(file)) {
      throw new Refusal(404, "the output file " + clusterPath + " cannot be read (yet)");
    }
    Replies.streamHead(out);
    boolean found =
        new OutputFollower(filter, out).copy(file, follow ? () -> ended(route) : null, pause);
    if (!found) {
      out.write(
          ("dask-mpi-operator: the job ended without an output file at " + clusterPath + "\n")
              .getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Answers 101 and copies bytes both ways between the caller and the dashboard of the running job,
   * until either side closes.
   */
  void dashboard(JobRoute route, RequestHead request, Socket caller, ExecutorService pipes)
      throws Refusal, IOException, InterruptedException {
    if (!request
        .header("upgrade")
        .map(u -> u.equalsIgnoreCase(AccessServer.TUNNEL_PROTOCOL))
        .orElse(false)) {
      throw new Refusal(
          426,
          "the dashboard is a tunnel (Upgrade: "
              + AccessServer.TUNNEL_PROTOCOL
              + "): use kubectl daskmpi dashboard "
              + route.name());
    }
    DaskMpiJob job = job(route);
    if (!access(job).dashboards()) {
      throw new Refusal(
          501,
          "the operator may not reach dashboards on endpoint '"
              + cluster(job)
              + "': its configuration has access.dashboards false");
    }
    DaskMpiJobStatus status = job.getStatus();
    if (phase(job) != Phase.Running || status.getDashboardURL() == null) {
      throw new Refusal(
          409, route.name() + " is " + phase(job) + ": a dashboard exists only while the job runs");
    }
    URI url = URI.create(status.getDashboardURL());
    Socket dashboard = new Socket();
    try {
      dashboard.connect(
          new InetSocketAddress(url.getHost(), url.getPort()), (int) CONNECT_TIMEOUT.toMillis());
    } catch (IOException e) {
      dashboard.close();
      throw new Refusal(
          502, "cannot reach the dashboard at " + url.getHost() + ":" + url.getPort() + ": " + e);
    }
    try (dashboard) {
      Replies.switchingToTunnel(caller.getOutputStream());
      Future<?> back = pipes.submit(() -> pipe(dashboard, caller));
      pipe(caller, dashboard);
      // Both sockets close when this returns: let the dashboard's last bytes reach the caller.
      back.get();
    } catch (ExecutionException e) {
      throw new IOException("the tunnel failed", e.getCause());
    }
  }

  /** Copies until {@code from} ends, then ends the other direction too. */
  private static void pipe(Socket from, Socket to) {
    // The streams stay open: closing a socket's stream closes the socket, and the other direction
    // may still be sending.
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buffer = new byte[32 * 1024];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // The other side closed: nothing to report.
    } finally {
      try {
        to.shutdownOutput();
      } catch (IOException e) {
        // Already closed.
      }
    }
  }

  private static RankFilter rankFilter(String rank) throws Refusal {
    if (rank == null || rank.isEmpty()) {
      return RankFilter.ALL;
    }
    if (!rank.matches("\\d{1,6}")) {
      throw new Refusal(400, "rank: '" + rank + "' is not a rank number");
    }
    return new RankFilter(OptionalInt.of(Integer.parseInt(rank)));
  }

  private DaskMpiJob job(JobRoute route) throws Refusal {
    return jobs.apply(route)
        .orElseThrow(
            () ->
                new Refusal(
                    404, "no DaskMpiJob " + route.name() + " in namespace " + route.namespace()));
  }

  private JobAccess access(DaskMpiJob job) throws Refusal {
    return config
        .endpoint(cluster(job))
        .map(EndpointConfig::access)
        .orElseThrow(
            () -> new Refusal(409, "the operator has no Slurm endpoint '" + cluster(job) + "'"));
  }

  private static String cluster(DaskMpiJob job) {
    return job.getSpec() == null || job.getSpec().getCluster() == null
        ? "default"
        : job.getSpec().getCluster();
  }

  private static Phase phase(DaskMpiJob job) {
    return job.getStatus() == null || job.getStatus().getPhase() == null
        ? Phase.Pending
        : job.getStatus().getPhase();
  }

  /** Whether a followed job is over; a failed read is not an end (the next pause asks again). */
  private boolean ended(JobRoute route) {
    try {
      return jobs.apply(route).map(JobViews::ended).orElse(true);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static boolean ended(DaskMpiJob job) {
    return job.getMetadata().getDeletionTimestamp() != null || phase(job).isFinal();
  }

  private static String outputFile(DaskMpiJob job) {
    DaskMpiJobStatus status = job.getStatus();
    return status == null || status.getSlurm() == null ? null : status.getSlurm().getOutputFile();
  }
}
