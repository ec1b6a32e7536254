package io.daskmpi.operator.access;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.config.EndpointConfig;
import io.daskmpi.operator.config.JobAccess;
import io.daskmpi.operator.config.LocalPath;
import io.daskmpi.operator.config.OperatorConfig;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * What an allowed caller gets: a job's output (as it is, or following it while the job runs), or a
 * byte tunnel to its Dask dashboard. Everything that can go wrong before the first byte is a {@link
 * Refusal} with a message that says what to change.
 */
final class JobViews {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration TUNNEL_LINGER = Duration.ofSeconds(30);

  private final Function<JobRoute, Optional<DaskMpiJob>> jobs;
  private final OperatorConfig config;
  private final OutputFollower.Pause pause;
  private final Duration endedCheckInterval;

  /**
   * @param pause how a followed log waits for more output
   * @param endedCheckInterval how often a followed job's resource is read to see whether it ended
   */
  JobViews(
      Function<JobRoute, Optional<DaskMpiJob>> jobs,
      OperatorConfig config,
      OutputFollower.Pause pause,
      Duration endedCheckInterval) {
    this.jobs = jobs;
    this.config = config;
    this.pause = pause;
    this.endedCheckInterval = endedCheckInterval;
  }

  /**
   * The job's output to {@code caller}. Without following, every problem is an error status.
   * Following, the answer starts at once and waits for the job's output file through the queue; a
   * problem found after that is the answer's last line, and the follow ends when the job ends or
   * the caller goes.
   */
  void log(JobRoute route, RequestHead request, Socket caller)
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
    OutputStream out = new BufferedOutputStream(caller.getOutputStream(), 64 * 1024);
    if (!follow) {
      OutputFile file = outputFile(job, access);
      InputStream in = open(file, job);
      Replies.streamHead(out);
      new OutputFollower(filter, out).copy(() -> in, null, pause);
      return;
    }
    Replies.streamHead(out);
    out.flush();
    OutputFollower.Pause waiting = () -> pauseWhileCallerStays(caller);
    OutputFollower follower = new OutputFollower(filter, out);
    try {
      for (boolean retried = false; ; retried = true) {
        while (JobFacts.outputFile(job) == null && !JobFacts.ended(job)) {
          waiting.pause();
          job = job(route);
        }
        String path = JobFacts.outputFile(job);
        if (retried && path != null) {
          say(
              out,
              "the job was retried: the output of Slurm job "
                  + job.getStatus().getSlurm().getJobId()
                  + " follows");
        }
        OutputFile file = outputFile(job, access);
        FollowedAttempt attempt = new FollowedAttempt(jobs, route, endedCheckInterval, job);
        if (!follower.copy(file::open, attempt, waiting)) {
          say(out, "the attempt ended without an output file at " + path);
        }
        Optional<DaskMpiJob> retry = attempt.nextAttempt();
        if (retry.isEmpty()) {
          return;
        }
        job = retry.get();
      }
    } catch (Refusal r) {
      say(out, r.getMessage());
    } catch (OutputFile.Refused e) {
      say(out, "the output file " + JobFacts.outputFile(job) + " is refused: " + e.getMessage());
    }
  }

  private OutputFile outputFile(DaskMpiJob job, JobAccess access) throws Refusal {
    String clusterPath = JobFacts.outputFile(job);
    if (clusterPath == null) {
      throw new Refusal(
          404,
          job.getMetadata().getName() + " has no output file (phase " + JobFacts.phase(job) + ")");
    }
    LocalPath local =
        access
            .localPath(clusterPath)
            .orElseThrow(
                () ->
                    new Refusal(
                        501,
                        "no access.outputPaths entry of endpoint '"
                            + cluster(job)
                            + "' covers "
                            + clusterPath));
    return new OutputFile(local);
  }

  private static InputStream open(OutputFile file, DaskMpiJob job) throws Refusal, IOException {
    InputStream in;
    try {
      in = file.open();
    } catch (OutputFile.Refused e) {
      throw new Refusal(
          403, "the output file " + JobFacts.outputFile(job) + " is refused: " + e.getMessage());
    }
    if (in == null) {
      throw new Refusal(
          404, "the output file " + JobFacts.outputFile(job) + " does not exist (yet)");
    }
    return in;
  }

  /** A line of the operator's own in the job's output: a retry, or why the follow ends. */
  private static void say(OutputStream out, String message) throws IOException {
    out.write(("dask-mpi-operator: " + message + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** One pause, then whether the caller is still there: a closed connection ends the follow. */
  private void pauseWhileCallerStays(Socket caller) throws IOException, InterruptedException {
    pause.pause();
    caller.setSoTimeout(1);
    try {
      if (caller.getInputStream().read() < 0) {
        throw new CallerGone();
      }
    } catch (SocketTimeoutException e) {
      // Nothing to read and not closed: the caller is still there.
    } finally {
      caller.setSoTimeout(0);
    }
  }

  /** The caller closed the connection of a followed log. */
  static final class CallerGone extends IOException {
    CallerGone() {
      super("the caller closed the connection");
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
    if (JobFacts.phase(job) != Phase.Running || status.getDashboardURL() == null) {
      throw new Refusal(
          409,
          route.name()
              + " is "
              + JobFacts.phase(job)
              + ": a dashboard exists only while the job runs");
    }
    URI url = URI.create(status.getDashboardURL());
    if (!access(job).allowsDashboardPort(url.getPort())) {
      throw new Refusal(
          403,
          "the dashboard port "
              + url.getPort()
              + " is not among access.dashboardPorts of endpoint '"
              + cluster(job)
              + "'");
    }
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
      // Both directions start only once 101 is sent; a full pool refuses before it is.
      CountDownLatch switched = new CountDownLatch(1);
      Future<?> back;
      try {
        back =
            pipes.submit(
                () -> {
                  switched.await();
                  pipe(dashboard, caller);
                  return null;
                });
      } catch (RejectedExecutionException e) {
        throw new Refusal(503, "too many open tunnels and logs; try again");
      }
      Replies.switchingToTunnel(caller.getOutputStream());
      switched.countDown();
      pipe(caller, dashboard);
      // The caller has finished sending: let the dashboard's last bytes through, for a while.
      back.get(TUNNEL_LINGER.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IOException("the tunnel failed", e.getCause());
    } catch (TimeoutException e) {
      // The dashboard kept its side open: closing both ends the tunnel.
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
}
