package io.daskmpi.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobSpec;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.JobAttempt;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.rest.SlurmClients;
import io.daskmpi.operator.submit.Examples;
import io.daskmpi.operator.submit.JobIdentity;
import io.daskmpi.operator.testing.DrivenResource;
import io.daskmpi.operator.testing.LocalSlurm;
import io.daskmpi.operator.testing.SlurmAdmin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Suspend and retries on the real local Slurm (every version), through the operator's reconcile
 * logic: what Slurm itself then reports, and what the job leaves behind. {@link KubectlLifecycleIT}
 * drives holds, edits and deadlines through the real API server.
 */
class JobLifecycleIT {
  private static final Duration LIMIT = Duration.ofMinutes(3);

  static java.util.List<String> versions() {
    return LocalSlurm.versions();
  }

  /** A resource on one cluster, driven by the reconcile logic. */
  private static final class Resource {
    final LocalSlurm slurm;
    final SlurmClient client;
    final DrivenResource job;

    Resource(String version, String script) {
      slurm = LocalSlurm.of(version);
      LocalSlurm.installRuntime();
      client = SlurmClients.connect(slurm.endpoint());
      DaskMpiJobSpec spec = Examples.load("dask-example-local.yaml").getSpec();
      spec.setWorkers(1);
      spec.setInlineScript(script);
      job =
          new DrivenResource(
              slurm.jobDriver(),
              new JobIdentity("life", "j", UUID.randomUUID().toString(), Instant.now()),
              spec);
    }

    DaskMpiJobStatus until(Phase phase) {
      DaskMpiJobStatus s = job.untilPhase(phase);
      assertThat(s.getPhase()).as(s.getMessage()).isEqualTo(phase);
      return s;
    }

    String output() throws Exception {
      return Files.readString(Path.of(job.status().getSlurm().getOutputFile()));
    }
  }

  private static final String SUM =
      """
      import dask_mpi
      from distributed import Client
      dask_mpi.initialize()
      with Client() as client:
          print("Dask result:", client.submit(sum, range(10)).result())
      """;

  @ParameterizedTest(name = "Slurm {0}")
  @MethodSource("versions")
  void aJobCreatedSuspendedHasNoSlurmJobUntilResumedThenSucceeds(String version) throws Exception {
    Resource r = new Resource(version, SUM);
    r.job.spec().setSuspend(true);
    for (int i = 0; i < 3; i++) {
      assertThat(r.job.reconcile().getPhase()).isEqualTo(Phase.Suspended);
    }
    assertThat(r.client.findByTag(r.job.id().tag())).as("no Slurm job while suspended").isEmpty();

    r.job.edit(() -> r.job.spec().setSuspend(false));
    r.until(Phase.Succeeded);
    assertThat(r.output()).contains("Dask result: 45");
    // The inline script, the runtime's rendezvous and the Dask cluster's key went with the job.
    assertThat(
            Path.of(r.slurm.workDir(), ".daskmpi", "job-" + r.job.status().getSlurm().getJobId()))
        .doesNotExist();
  }

  @ParameterizedTest(name = "Slurm {0}")
  @MethodSource("versions")
  void aJobFailedByANodeFailureIsRetriedAndTheSecondAttemptSucceeds(String version)
      throws Exception {
    Resource r =
        new Resource(
            version,
            """
            import os, sys, time, dask_mpi
            from distributed import Client
            dask_mpi.initialize()
            with Client() as client:
                print("client connected", flush=True)
                if os.path.exists(sys.argv[1]):
                    time.sleep(600)
                print("Dask result:", client.submit(sum, range(10)).result())
            """);
    // The first attempt waits while the marker exists; the node fails under it.
    Path marker = Path.of(r.slurm.workDir(), "first-attempt-" + UUID.randomUUID());
    Files.writeString(marker, "");
    r.job.spec().setArgs(java.util.List.of(marker.toString()));
    r.job.spec().setBackoffLimit(1);
    SlurmAdmin admin = new SlurmAdmin(r.slurm);
    String nodes = null;
    try {
      r.until(Phase.Running);
      await().atMost(LIMIT).until(() -> r.output().contains("client connected"));
      nodes = r.job.status().getSlurm().getNodes();
      long first = r.job.status().getSlurm().getJobId();
      Files.delete(marker);
      admin.failNodes(nodes);
      await()
          .atMost(LIMIT)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> r.job.reconcile().currentAttempt() == 2 || r.job.status().getPhase().isFinal());
      admin.resumeNodes(nodes);
      DaskMpiJobStatus done = r.until(Phase.Succeeded);
      assertThat(r.output()).contains("Dask result: 45");
      assertThat(done.getAttempts())
          .extracting(JobAttempt::getAttempt, JobAttempt::getJobId, JobAttempt::getState)
          .containsExactly(
              tuple(1, first, "NODE_FAIL"), tuple(2, done.getSlurm().getJobId(), "COMPLETED"));
      assertThat(r.client.findByTag(r.job.id().tag() + "/attempt-2")).hasSize(1);
    } finally {
      Files.deleteIfExists(marker);
      if (nodes != null) {
        admin.resumeNodes(nodes);
      }
    }
  }
}
