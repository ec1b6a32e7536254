package io.daskmpi.operator.cli;

import io.daskmpi.operator.access.AccessReviews;
import io.daskmpi.operator.access.AccessServer;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.config.OperatorConfig;
import io.daskmpi.operator.monitoring.HealthServer;
import io.daskmpi.operator.monitoring.MeteredSlurmClient;
import io.daskmpi.operator.monitoring.OperatorMetrics;
import io.daskmpi.operator.reconcile.DaskMpiJobReconciler;
import io.daskmpi.operator.reconcile.JobDriver;
import io.daskmpi.operator.reconcile.SlurmChangeEvents;
import io.daskmpi.operator.reconcile.SlurmEndpoints;
import io.daskmpi.operator.slurm.rest.SlurmClients;
import io.daskmpi.operator.status.JobEvents;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code operator}: the controller, against the cluster of the kubeconfig or in-cluster. */
@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the DaskMpiJob controller.",
      "It works against the Kubernetes cluster of the current kubeconfig (or the in-cluster",
      "service account). Slurm endpoints come from --config and/or the",
      "DASKMPI_SLURM_* variables."
    })
public final class OperatorCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorCommand.class);
  static final String LEASE_NAME = "dask-mpi-operator";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin ConfigOption config;

  @Option(
      names = "--health-port",
      description = "port of /healthz, /readyz and /metrics (default: ${DEFAULT-VALUE})",
      defaultValue = "${env:DASKMPI_HEALTH_PORT:-8080}")
  int healthPort;

  @Option(
      names = "--access-port",
      description = {
        "port of the access API that kubectl daskmpi logs and dashboard use; 0: off",
        "(default: ${DEFAULT-VALUE})"
      },
      defaultValue = "${env:DASKMPI_ACCESS_PORT:-0}")
  int accessPort;

  @Option(
      names = "--leader-election-namespace",
      description = {
        "run with leader election, holding the Lease 'dask-mpi-operator' in this namespace, so",
        "that only one of several replicas reconciles (default: $DASKMPI_LEADER_ELECTION_NAMESPACE)"
      },
      defaultValue = "${env:DASKMPI_LEADER_ELECTION_NAMESPACE}")
  String leaderElectionNamespace;

  @Override
  public Integer call() throws Exception {
    Optional<OperatorConfig> loaded = config.load("operator", spec.commandLine().getErr());
    if (loaded.isEmpty()) {
      return CommandLine.ExitCode.USAGE;
    }
    OperatorConfig operatorConfig = loaded.get();
    OperatorMetrics metrics = new OperatorMetrics();
    AtomicBoolean started = new AtomicBoolean();
    HealthServer health = new HealthServer(healthPort, started::get, metrics);
    KubernetesClient client = new KubernetesClientBuilder().build();
    Optional<AccessServer> access = startAccess(client, operatorConfig);
    Optional<LeaderElection> election =
        leaderElectionNamespace == null || leaderElectionNamespace.isBlank()
            ? Optional.empty()
            : Optional.of(
                new LeaderElection(
                    LEASE_NAME,
                    leaderElectionNamespace,
                    LeaderElection.identity(System.getenv()),
                    System::exit));
    Operator operator =
        start(
            client,
            operatorConfig,
            Clock.systemUTC(),
            metrics,
            o -> election.ifPresent(e -> o.withLeaderElectionConfiguration(e.configuration())));
    started.set(true);
    LOG.info(
        "watching DaskMpiJobs in {}; Slurm endpoints: {}",
        operatorConfig.watchNamespaces().isEmpty()
            ? "all namespaces"
            : operatorConfig.watchNamespaces(),
        String.join(", ", operatorConfig.endpoints().keySet()));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  election.ifPresent(LeaderElection::shutdownStarted);
                  operator.stop();
                  election.ifPresent(e -> e.release(client));
                  access.ifPresent(AccessServer::closeQuietly);
                  stopped.countDown();
                }));
    stopped.await();
    return CommandLine.ExitCode.OK;
  }

  private Optional<AccessServer> startAccess(KubernetesClient client, OperatorConfig config)
      throws IOException {
    if (accessPort <= 0) {
      return Optional.empty();
    }
    AccessServer server =
        AccessServer.start(
            accessPort,
            AccessReviews.of(client.getConfiguration(), Clock.systemUTC()),
            route ->
                Optional.ofNullable(
                    client
                        .resources(DaskMpiJob.class)
                        .inNamespace(route.namespace())
                        .withName(route.name())
                        .get()),
            config);
    LOG.info("access API (kubectl daskmpi logs, dashboard) on port {}", server.port());
    return Optional.of(server);
  }

  /**
   * Registers the reconciler and starts the controller; also used by end-to-end tests.
   *
   * <p>The primary resource is written with patches of what changed, never with server-side apply:
   * an apply creates a missing object, so a finalizer or status write that races a deletion
   * resurrects the resource without its spec (ChaosIT caught one; RealApiServerIT shows the
   * mechanism). A patch of a deleted object fails with 404 instead.
   */
  public static Operator start(
      KubernetesClient client,
      OperatorConfig config,
      Clock clock,
      OperatorMetrics metrics,
      Consumer<ConfigurationServiceOverrider> overrides) {
    var endpoints =
        new SlurmEndpoints(
            config,
            c ->
                new MeteredSlurmClient(
                    SlurmClients.connect(c.slurmEndpoint(), metrics.traffic(c.endpoint().name())),
                    c.endpoint().name(),
                    metrics),
            clock);
    var reconciler =
        new DaskMpiJobReconciler(
            new JobDriver(endpoints, clock),
            new JobEvents(client, clock),
            new SlurmChangeEvents(endpoints, config.pollInterval()),
            config.pollInterval(),
            config.resyncInterval().dividedBy(2),
            metrics);
    Operator operator =
        new Operator(
            o ->
                overrides.accept(
                    o.withKubernetesClient(client)
                        .withUseSSAToPatchPrimaryResource(false)
                        .withCloseClientOnStop(false)
                        .withMetrics(
                            MicrometerMetrics.withoutPerResourceMetrics(metrics.registry()))));
    operator.register(
        reconciler,
        c -> {
          if (!config.watchNamespaces().isEmpty()) {
            c.settingNamespaces(config.watchNamespaces());
          }
        });
    operator.start();
    return operator;
  }
}
