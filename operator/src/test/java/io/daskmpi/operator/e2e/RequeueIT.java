package io.daskmpi.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobSpec;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.api.v1alpha1.SlurmOptions;
import io.daskmpi.operator.config.EndpointConfig;
import io.daskmpi.operator.config.OperatorConfig;
import io.daskmpi.operator.reconcile.JobDriver;
import io.daskmpi.operator.reconcile.SlurmEndpoints;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.rest.SlurmClients;
import io.daskmpi.operator.submit.Examples;
import io.daskmpi.operator.submit.JobIdentity;
import io.daskmpi.operator.testing.LocalSlurm;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code spec.slurm.requeue} on a real cluster (26.05): with {@code true}, a job an administrator
 * requeues while it runs is followed through its rerun to {@code Succeeded}, as one Slurm job; with
 * the default {@code false}, Slurm itself refuses to requeue it.
 */
class RequeueIT {
  private static final Duration LIMIT = Duration.ofMinutes(4);
  private final LocalSlurm slurm = LocalSlurm.of("26.05");

  private JobDriver driver() {
    EndpointConfig endpoint =
        new EndpointConfig(
            "default",
            java.net.URI.create(slurm.require("DASKMPI_SLURM_URL")),
            slurm.user(),
            Path.of(slurm.require("DASKMPI_SLURM_TOKEN_FILE")),
            Optional.empty(),
            List.of(slurm.require("DASKMPI_RUNTIME_COMMAND").split(" ")));
    var config =
        new OperatorConfig(
            Map.of("default", endpoint), Set.of(), Duration.ofMillis(200), Duration.ofMinutes(5));
    return new JobDriver(
        new SlurmEndpoints(config, e -> SlurmClients.connect(e.endpoint()), Clock.systemUTC()),
        Clock.systemUTC());
  }

  private static DaskMpiJobSpec spec(boolean requeue) {
    DaskMpiJobSpec spec = Examples.load("dask-example-local.yaml").getSpec();
    spec.setWorkers(1);
    spec.setInlineScript(
        """
        import dask_mpi, time
        from distributed import Client
        dask_mpi.initialize()
        with Client() as client:
            time.sleep(8)
            print("Dask result:", client.submit(sum, range(10)).result())
        """);
    SlurmOptions options = spec.getSlurm() == null ? new SlurmOptions() : spec.getSlurm();
    options.setRequeue(requeue);
    spec.setSlurm(options);
    return spec;
  }

  private static String scontrol(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                LocalSlurm.repo().resolve("dev/local-slurm").toString(), "exec", "--", "scontrol"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    return p.waitFor() + ": " + out.strip();
  }

  @Test
  void aRequeuedJobIsFollowedThroughItsRerun() throws Exception {
    JobDriver driver = driver();
    JobIdentity id =
        new JobIdentity("requeue", "rerun", UUID.randomUUID().toString(), Instant.now());
    DaskMpiJobSpec spec = spec(true);
    List<Phase> phases = new ArrayList<>();
    DaskMpiJobStatus status = null;
    boolean requeued = false;
    boolean released = false;
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (status == null || !status.getPhase().isFinal()) {
      assertThat(System.nanoTime()).as("phases so far: %s", phases).isLessThan(deadline);
      status = driver.reconcile(id, 1L, spec, status);
      if (phases.isEmpty() || phases.get(phases.size() - 1) != status.getPhase()) {
        phases.add(status.getPhase());
      }
      String job = status.getSlurm() == null ? null : String.valueOf(status.getSlurm().getJobId());
      if (!requeued && status.getPhase() == Phase.Running) {
        assertThat(scontrol("requeue", job)).startsWith("0:");
        requeued = true;
      } else if (requeued && !released && status.getPhase() == Phase.Queued) {
        // Slurm holds a requeued job back for a while (reason BeginTime); let it start at once.
        assertThat(scontrol("update", "jobid=" + job, "StartTime=now")).startsWith("0:");
        released = true;
      }
      Thread.sleep(200);
    }
    assertThat(status.getPhase()).as(status.getMessage()).isEqualTo(Phase.Succeeded);
    assertThat(phases)
        .containsSubsequence(Phase.Running, Phase.Queued, Phase.Running, Phase.Succeeded);
    long jobId = status.getSlurm().getJobId();
    SlurmClient client = SlurmClients.connect(slurm.endpoint());
    assertThat(client.findByTag(id.tag()))
        .singleElement()
        .satisfies(j -> assertThat(j.id()).isEqualTo(jobId));
  }

  @Test
  void byDefaultSlurmRefusesToRequeueTheJob() throws Exception {
    JobDriver driver = driver();
    JobIdentity id =
        new JobIdentity("requeue", "once", UUID.randomUUID().toString(), Instant.now());
    DaskMpiJobSpec spec = spec(false);
    DaskMpiJobStatus status = null;
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (status == null || status.getPhase() != Phase.Running) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      status = driver.reconcile(id, 1L, spec, status);
      assertThat(status.getPhase().isFinal()).as(status.getMessage()).isFalse();
      Thread.sleep(200);
    }
    try {
      assertThat(scontrol("requeue", status.getSlurm().getJobId().toString()))
          .doesNotStartWith("0:")
          .contains("disabled");
    } finally {
      driver.cancel(id, spec, status);
    }
  }
}
