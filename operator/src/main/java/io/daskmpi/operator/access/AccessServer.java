package io.daskmpi.operator.access;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.config.OperatorConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's access API, for {@code kubectl daskmpi}: a job's output and a tunnel to its
 * dashboard, for callers the API server says may {@code get daskmpijobs/log} or {@code
 * daskmpijobs/dashboard} of it ({@link CallerCheck}). Plain HTTP/1.1, one request a connection:
 * reach it through {@code kubectl port-forward} or a TLS-terminating proxy, since callers send
 * their Kubernetes token. Tokens are never logged. The check is made when a connection starts: a
 * follow or tunnel already open outlives a later change of the caller's rights.
 *
 * <pre>
 * GET /v1/namespaces/NS/daskmpijobs/NAME/log[?follow=true][&amp;rank=N]   text, until the end
 * GET /v1/namespaces/NS/daskmpijobs/NAME/dashboard                         Upgrade: daskmpi-tunnel
 * </pre>
 */
public final class AccessServer implements AutoCloseable {
  static final String TUNNEL_PROTOCOL = "daskmpi-tunnel";
  static final Duration HEAD_TIMEOUT = Duration.ofSeconds(10);

  /** Connections served at once; a tunnel holds two threads. */
  static final int MAX_THREADS = 256;

  private static final Logger LOG = LoggerFactory.getLogger(AccessServer.class);

  private final ServerSocket server;
  private final CallerCheck callers;
  private final JobViews views;
  private final ExecutorService threads;
  private final Thread acceptor;

  AccessServer(int port, CallerCheck callers, JobViews views) throws IOException {
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(port));
    this.callers = callers;
    this.views = views;
    AtomicInteger n = new AtomicInteger();
    this.threads =
        new ThreadPoolExecutor(
            0,
            MAX_THREADS,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "access-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.acceptor = new Thread(this::accept, "access-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Serves on {@code port} (0: any free one), reading jobs with {@code jobs}. */
  public static AccessServer start(
      int port,
      CallerCheck callers,
      Function<JobRoute, Optional<DaskMpiJob>> jobs,
      OperatorConfig config)
      throws IOException {
    return new AccessServer(
        port,
        callers,
        new JobViews(
            jobs, config, OutputFollower.Pause.of(Duration.ofMillis(250)), Duration.ofSeconds(2)));
  }

  public int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (!server.isClosed()) {
          LOG.warn("access API: accept failed: {}", e.toString());
          backOff();
        }
        continue;
      }
      try {
        threads.execute(() -> serve(socket));
      } catch (RejectedExecutionException e) {
        try (socket) {
          Replies.error(socket.getOutputStream(), 503, "too many connections; try again");
        } catch (IOException ignored) {
          // The caller went away.
        }
      }
    }
  }

  /** After a failed accept (e.g. out of file descriptors), so that the loop does not spin. */
  private static void backOff() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setSoTimeout((int) HEAD_TIMEOUT.toMillis());
      OutputStream out = socket.getOutputStream();
      RequestHead request;
      try {
        request =
            RequestHead.read(socket.getInputStream(), System.nanoTime() + HEAD_TIMEOUT.toNanos());
      } catch (RequestHead.Malformed e) {
        Replies.error(out, 400, e.getMessage());
        return;
      }
      socket.setSoTimeout(0); // a followed log or a tunnel may be quiet for long
      try {
        handle(request, socket);
      } catch (Refusal r) {
        Replies.error(out, r.status(), r.getMessage());
      } catch (RuntimeException e) {
        // E.g. the API server could not be read. The message stays in the operator's log.
        LOG.warn("access API: {} failed", request.path(), e);
        Replies.error(out, 500, "the operator could not serve this request; its log says why");
      }
    } catch (SocketException | JobViews.CallerGone e) {
      // The caller closed the connection (Ctrl-C on kubectl daskmpi logs -f).
    } catch (IOException e) {
      LOG.debug("access API: connection ended: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(RequestHead request, Socket socket)
      throws Refusal, IOException, InterruptedException {
    if (!request.method().equals("GET")) {
      throw new Refusal(405, "only GET is served");
    }
    JobRoute route =
        JobRoute.parse(request.path())
            .orElseThrow(
                () ->
                    new Refusal(
                        404, "no such path; see /v1/namespaces/NS/daskmpijobs/NAME/log|dashboard"));
    String token =
        request
            .bearerToken()
            .orElseThrow(
                () ->
                    new Refusal(
                        401,
                        "no bearer token: the operator asks the API server as you (kubectl daskmpi"
                            + " sends your kubeconfig's token)"));
    CallerCheck.Verdict verdict = callers.check(token, route);
    switch (verdict.outcome()) {
      case ALLOWED -> {}
      case UNAUTHENTICATED -> throw new Refusal(401, verdict.message());
      case FORBIDDEN -> throw new Refusal(403, verdict.message());
      case UNAVAILABLE -> throw new Refusal(503, verdict.message());
    }
    LOG.info("access API: {} for a caller the API server allowed", route);
    switch (route.view()) {
      case LOG -> views.log(route, request, socket);
      case DASHBOARD -> views.dashboard(route, request, socket, threads);
    }
  }

  /** For shutdown hooks: a close that fails has nothing left to do. */
  public void closeQuietly() {
    try {
      close();
    } catch (IOException e) {
      LOG.debug("access API: close: {}", e.toString());
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
