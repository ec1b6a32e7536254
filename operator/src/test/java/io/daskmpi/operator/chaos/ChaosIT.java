package io.daskmpi.operator.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.SlurmJob;
import io.daskmpi.operator.slurm.rest.SlurmClients;
import io.daskmpi.operator.submit.JobIdentity;
import io.daskmpi.operator.testing.LocalKube;
import io.daskmpi.operator.testing.LocalSlurm;
import io.daskmpi.operator.testing.OperatorProcess;
import io.daskmpi.operator.testing.OperatorProcess.Packaging;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator under fire, on the real API server and a real Slurm with slurmdbd: DaskMpiJobs are
 * created (some deleted early) while the operator is killed with SIGKILL again and again, and
 * slurmrestd, slurmctld and the API server are restarted. At the end Slurm's own records decide: no
 * tag submitted twice, no deleted resource's job left running, every remaining phase what Slurm
 * says, nothing stuck. {@code dev/chaos --kills N} runs this test at another size.
 *
 * <p>Sizes come from system properties: {@code daskmpi.chaos.kills} (default 50), {@code
 * daskmpi.chaos.resources} (default 30), {@code daskmpi.chaos.slurm} (default 26.05), {@code
 * daskmpi.chaos.seed}. The seed fixes the run's choices (kill moments, which resources are deleted
 * when), not the machine's timing, so a rerun with it is alike, not identical.
 */
class ChaosIT {
  private static final int KILLS = Integer.getInteger("daskmpi.chaos.kills", 50);
  private static final int RESOURCES = Integer.getInteger("daskmpi.chaos.resources", 30);
  private static final String SLURM = System.getProperty("daskmpi.chaos.slurm", "26.05");
  private static final long SEED = Long.getLong("daskmpi.chaos.seed", System.nanoTime());

  /** One outage for every this many kills, cycling through the three components. */
  private static final int KILLS_PER_RESTART = 8;

  private static final List<String> RESTARTED = List.of("slurmrestd", "slurmctld", "apiserver");
  private static final Duration SETTLE = Duration.ofMinutes(10);

  private static LocalKube kube;
  private static LocalSlurm slurm;
  private static KubernetesClient client;

  private final String namespace = "chaos-" + UUID.randomUUID().toString().substring(0, 8);

  /** The kill timing's choices; the workload threads draw from their own. */
  private final Random random = new Random(SEED);

  private final Random workloadRandom = new Random(SEED + 1);
  private final Map<String, Boolean> deletedByName = new ConcurrentHashMap<>();
  private final Map<String, String> uidByName = new ConcurrentHashMap<>();
  private final List<String> workloadErrors = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeAll
  static void setUp() {
    kube = LocalKube.of();
    kube.applyCrds();
    LocalSlurm.installRuntime();
    slurm = LocalSlurm.of(SLURM);
    client = kube.client();
  }

  @AfterAll
  static void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  @Test
  void underKillsAndOutagesNoJobIsDuplicatedOrphanedWrongOrStuck() throws Exception {
    SlurmClient slurmClient = SlurmClients.connect(slurm.endpoint());
    assertThat(slurmClient.hasHistory())
        .as("the local cluster's slurmrestd serves slurmdbd's records (/slurmdb/)")
        .isTrue();
    Instant start = Instant.now();
    long t0 = System.nanoTime();
    System.out.printf(
        "chaos: seed=%d kills=%d resources=%d slurm=%s namespace=%s%n",
        SEED, KILLS, RESOURCES, SLURM, namespace);

    ScheduledExecutorService workload = Executors.newScheduledThreadPool(2);
    // Spread the resources over the kill phase (about 3 s per kill).
    long spacingMs = Math.max(200, KILLS * 3000L / RESOURCES);
    for (int i = 0; i < RESOURCES; i++) {
      int n = i;
      workload.schedule(
          () -> {
            try {
              createAndMaybeDelete(workload, n);
            } catch (RuntimeException e) {
              workloadErrors.add("job-" + n + ": " + e);
            }
          },
          n * spacingMs,
          TimeUnit.MILLISECONDS);
    }

    int restarts = 0;
    OperatorProcess last = null;
    for (int kill = 1; kill <= KILLS; kill++) {
      OperatorProcess operator = startOperator();
      if (kill % KILLS_PER_RESTART == 0) {
        restart(RESTARTED.get(restarts % RESTARTED.size()));
        restarts++;
      }
      liveFor(operator, kill);
      operator.kill();
      last = operator;
    }
    workload.shutdown();
    assertThat(workload.awaitTermination(10, TimeUnit.MINUTES)).isTrue();
    assertThat(workloadErrors).as("the workload's own API calls").isEmpty();

    try (OperatorProcess survivor = startOperator()) {
      try {
        await()
            .atMost(SETTLE)
            .pollInterval(Duration.ofSeconds(2))
            .ignoreExceptions()
            .until(this::settled);
      } catch (ConditionTimeoutException e) {
        System.out.println(
            "chaos: not settled after " + SETTLE + "; the verdict names what is stuck");
      }
      ChaosVerdict verdict = verdict(slurmClient, start);
      double minutes = (System.nanoTime() - t0) / 60e9;
      System.out.println(verdict.summary(KILLS, restarts));
      System.out.printf("FIGURE chaos-wall-time kills=%d %.1f min%n", KILLS, minutes);
      assertThat(verdict.clean())
          .as(
              "seed %d:%n%s%n--- last killed operator ---%n%s%n--- survivor ---%n%s",
              SEED, String.join("\n", verdict.findings()), tail(last), tail(survivor))
          .isTrue();
    }
  }

  private OperatorProcess startOperator() throws Exception {
    return OperatorProcess.start(Packaging.JAR, kube, slurm, namespace, Map.of());
  }

  /**
   * Half the kills come at a random moment of the operator's life (often while it starts); the
   * other half right after it submitted or cancelled a job, where a lost status write hurts most.
   */
  private void liveFor(OperatorProcess operator, int kill) throws InterruptedException {
    if (kill % 2 == 0) {
      Thread.sleep(500 + random.nextInt(4500));
      return;
    }
    long before = operator.linesContaining("submitted as Slurm job");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
    while (System.nanoTime() < deadline
        && operator.linesContaining("submitted as Slurm job") == before
        && operator.linesContaining("cancelled Slurm job") == 0) {
      Thread.sleep(20);
    }
    Thread.sleep(random.nextInt(300));
  }

  private void restart(String component) {
    System.out.println("chaos: restarting " + component);
    if (component.equals("apiserver")) {
      kube.restartApiServer();
    } else {
      slurm.restart(component);
    }
  }

  /** Resource N: one in four is deleted a few seconds after creation, one in five fails. */
  private void createAndMaybeDelete(ScheduledExecutorService workload, int n) {
    String name = "job-" + n;
    boolean deleteEarly = n % 4 == 1;
    int exitCode = n % 5 == 2 ? 3 : 0;
    String script =
        """
        import dask_mpi, sys, time
        from distributed import Client
        dask_mpi.initialize()
        with Client() as client:
            print("sum", client.submit(sum, range(10)).result())
        time.sleep(%d)
        sys.exit(%d)
        """
            .formatted(deleteEarly ? 30 : 0, exitCode);
    DaskMpiJob job;
    try {
      job = retrying(() -> create(name, script));
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      job = get(name); // created by an attempt whose answer was lost in an API-server restart
    }
    uidByName.put(name, job.getMetadata().getUid());
    if (deleteEarly) {
      workload.schedule(
          () -> {
            try {
              retrying(
                  () ->
                      client
                          .resources(DaskMpiJob.class)
                          .inNamespace(namespace)
                          .withName(name)
                          .delete());
              deletedByName.put(name, true);
            } catch (RuntimeException e) {
              workloadErrors.add(name + " (delete): " + e);
            }
          },
          workloadRandom.nextInt(10_000),
          TimeUnit.MILLISECONDS);
    }
  }

  private DaskMpiJob create(String name, String script) {
    try {
      String yaml =
          Files.readString(LocalSlurm.repo().resolve("examples/dask-example-local.yaml"))
              .replace("namespace: default", "namespace: " + namespace)
              .replace("name: dask-sum", "name: " + name)
              .replace("workers: 2", "workers: 1");
      DaskMpiJob job = Serialization.unmarshal(yaml, DaskMpiJob.class);
      job.getSpec().setInlineScript(script);
      return client.resources(DaskMpiJob.class).inNamespace(namespace).resource(job).create();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Calls ACTION until the API server answers (it may be restarting), for at most two minutes. */
  private static <T> T retrying(Supplier<T> action) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (true) {
      try {
        return action.get();
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() == 409 || System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private boolean settled() {
    if (uidByName.size() < RESOURCES) {
      return false;
    }
    for (String name : uidByName.keySet()) {
      DaskMpiJob job = get(name);
      boolean deleted = deletedByName.containsKey(name);
      if (deleted ? job != null : !isFinal(job)) {
        return false;
      }
    }
    return true;
  }

  private ChaosVerdict verdict(SlurmClient slurmClient, Instant start) {
    List<ChaosVerdict.Outcome> outcomes = new ArrayList<>();
    Map<String, String> names = new LinkedHashMap<>();
    for (var e : uidByName.entrySet()) {
      String name = e.getKey();
      DaskMpiJob job = get(name);
      String tag = new JobIdentity(namespace, name, e.getValue(), start).tag();
      names.put(tag, name);
      outcomes.add(
          new ChaosVerdict.Outcome(
              tag,
              deletedByName.containsKey(name),
              job != null,
              job == null || job.getStatus() == null ? null : job.getStatus().getPhase(),
              job == null || job.getStatus() == null || job.getStatus().getSlurm() == null
                  ? null
                  : job.getStatus().getSlurm().getJobId()));
    }
    Map<String, List<SlurmJob>> records = records(slurmClient, names, start);
    return ChaosVerdict.judge(outcomes, records);
  }

  /**
   * Every Slurm job of each tag: slurmdbd's records, once they hold every job slurmctld knows
   * (records arrive with a delay), with slurmctld's fresher state for the jobs it still holds.
   */
  private static Map<String, List<SlurmJob>> records(
      SlurmClient slurmClient, Map<String, String> names, Instant start) {
    Map<String, List<SlurmJob>> byTag = new ConcurrentHashMap<>();
    Instant since = start.minus(Duration.ofMinutes(1));
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(2))
        .ignoreExceptions()
        .until(
            () -> {
              boolean complete = true;
              for (var e : names.entrySet()) {
                Map<Long, SlurmJob> jobs = new LinkedHashMap<>();
                slurmClient
                    .historyByTag(e.getKey(), e.getValue(), since)
                    .forEach(j -> jobs.put(j.id(), j));
                Set<Long> recorded = Set.copyOf(jobs.keySet());
                for (SlurmJob live : slurmClient.findByTag(e.getKey())) {
                  complete &= recorded.contains(live.id());
                  jobs.put(live.id(), live);
                }
                byTag.put(e.getKey(), List.copyOf(jobs.values()));
              }
              return complete;
            });
    return byTag;
  }

  private DaskMpiJob get(String name) {
    return retrying(
        () -> client.resources(DaskMpiJob.class).inNamespace(namespace).withName(name).get());
  }

  private static boolean isFinal(DaskMpiJob job) {
    Phase phase = job == null || job.getStatus() == null ? null : job.getStatus().getPhase();
    return phase != null && phase.isFinal();
  }

  private static String tail(OperatorProcess operator) {
    if (operator == null) {
      return "";
    }
    String out = operator.output();
    return out.length() <= 20_000 ? out : out.substring(out.length() - 20_000);
  }
}
