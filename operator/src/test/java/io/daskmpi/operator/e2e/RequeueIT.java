package io.daskmpi.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobSpec;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.api.v1alpha1.SlurmOptions;
import io.daskmpi.operator.reconcile.JobDriver;
import io.daskmpi.operator.reconcile.SubmitIntents;
import io.daskmpi.operator.slurm.rest.SlurmClients;
import io.daskmpi.operator.submit.Examples;
import io.daskmpi.operator.submit.JobIdentity;
import io.daskmpi.operator.testing.LocalSlurm;
import io.daskmpi.operator.testing.SlurmAdmin;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code spec.slurm.requeue} on a real cluster (24.11, whose node the test takes down): with {@code
 * true}, a job an administrator requeues is followed through its rerun to {@code Succeeded} as one
 * Slurm job; with the default {@code false}, a node failure ends it {@code Failed} and Slurm
 * refuses an administrator's requeue. (A node failure with requeue on needs a second node for the
 * rerun, on one node Slurm drains it, "Duplicate jobid": MultiNodeIT shows that rerun on 26.05's
 * three nodes.)
 */
class RequeueIT {
  private static final Duration LIMIT = Duration.ofMinutes(4);
  private static final String NODE = "vm";
  private final LocalSlurm slurm = LocalSlurm.of("24.11");
  private final JobDriver driver = slurm.jobDriver();
  private final SlurmAdmin admin = new SlurmAdmin(slurm);

  /** What the test does to the Slurm job (by id) at one point of its life. */
  private interface Step {
    void on(String jobId) throws Exception;
  }

  private record Followed(JobIdentity id, List<Phase> phases, DaskMpiJobStatus status) {}

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

  private void ok(String... args) {
    admin.ok(args);
  }

  /**
   * Reconciles every 200 ms until the phase is final (or, with {@code untilRunning}, Running); runs
   * {@code whenRunning} the first time the job runs and {@code whenBackInQueue} when it is queued
   * again after that.
   */
  private Followed follow(
      DaskMpiJobSpec spec, boolean untilRunning, Step whenRunning, Step whenBackInQueue)
      throws Exception {
    JobIdentity id = new JobIdentity("requeue", "j", UUID.randomUUID().toString(), Instant.now());
    List<Phase> phases = new ArrayList<>();
    DaskMpiJobStatus status = null;
    boolean ran = false;
    boolean requeued = false;
    long deadline = System.nanoTime() + LIMIT.toNanos();
    try {
      while (status == null || !status.getPhase().isFinal()) {
        assertThat(System.nanoTime()).as("phases so far: %s", phases).isLessThan(deadline);
        status = driver.reconcile(id, 1L, spec, status, SubmitIntents.IN_MEMORY);
        Phase phase = status.getPhase();
        if (phases.isEmpty() || phases.get(phases.size() - 1) != phase) {
          phases.add(phase);
        }
        String job =
            status.getSlurm() == null ? null : String.valueOf(status.getSlurm().getJobId());
        if (!ran && phase == Phase.Running) {
          ran = true;
          if (untilRunning) {
            return new Followed(id, phases, status);
          }
          whenRunning.on(job);
        } else if (ran && !requeued && phase == Phase.Queued) {
          requeued = true;
          whenBackInQueue.on(job);
        }
        Thread.sleep(200);
      }
    } catch (Exception | AssertionError e) {
      driver.cancel(id, spec, status); // leave no job behind for the next test
      throw e;
    }
    assertThat(SlurmClients.connect(slurm.endpoint()).findByTag(id.tag()))
        .as("one Slurm job, however many runs")
        .hasSize(1);
    return new Followed(id, phases, status);
  }

  private void failNode() {
    admin.failNodes(NODE);
  }

  private void resumeNode() {
    admin.resumeNodes(NODE);
  }

  /** Slurm holds a requeued job back for a while (reason BeginTime); let it start at once. */
  private void startNow(String job) throws Exception {
    ok("update", "jobid=" + job, "StartTime=now");
  }

  @Test
  void aJobRequeuedByAnAdministratorIsFollowedThroughItsRerun() throws Exception {
    Followed run = follow(spec(true), false, job -> ok("requeue", job), this::startNow);
    assertThat(run.status().getPhase()).as(run.status().getMessage()).isEqualTo(Phase.Succeeded);
    assertThat(run.phases())
        .containsSubsequence(Phase.Running, Phase.Queued, Phase.Running, Phase.Succeeded);
  }

  @Test
  void byDefaultANodeFailureEndsTheJobFailed() throws Exception {
    try {
      Followed run = follow(spec(false), false, job -> failNode(), job -> {});
      assertThat(run.status().getPhase()).isEqualTo(Phase.Failed);
      assertThat(run.status().getSlurm().getState()).isEqualTo("NODE_FAIL");
      List<Phase> afterStart =
          run.phases().subList(run.phases().indexOf(Phase.Running), run.phases().size());
      assertThat(afterStart).doesNotContain(Phase.Queued);
    } finally {
      resumeNode();
    }
  }

  @Test
  void byDefaultSlurmRefusesAnAdministratorsRequeue() throws Exception {
    Followed run = follow(spec(false), true, job -> {}, job -> {});
    String job = run.status().getSlurm().getJobId().toString();
    try {
      assertThat(admin.scontrol("requeue", job)).doesNotStartWith("0:").contains("disabled");
    } finally {
      driver.cancel(run.id(), spec(false), run.status());
    }
  }
}
