package io.daskmpi.operator.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.daskmpi.operator.slurm.rest.SlurmClients;
import io.daskmpi.operator.testing.ApiTarget;
import io.daskmpi.operator.testing.LocalSlurm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client's contract, run against every real slurmrestd that {@code dev/local-slurm} brings up
 * and every REST API version each one offers that the client speaks. Every target must pass the
 * same scenarios.
 */
class SlurmContractIT {
  private static final Duration JOB_WAIT = Duration.ofSeconds(60);
  private static final Map<ApiTarget, Long> TIMEOUT_JOBS = new ConcurrentHashMap<>();
  private static final List<Runnable> CLEANUP = new ArrayList<>();

  static Stream<ApiTarget> targets() {
    return ApiTarget.all();
  }

  /** The time-limit scenario takes over a minute: start it for every target first. */
  @BeforeAll
  static void submitTimeLimitJobs() {
    targets()
        .forEach(
            t -> {
              JobSubmission job = submission(t, "timeout", "sleep 600").timeLimitMinutes(1).build();
              TIMEOUT_JOBS.put(t, t.client().submit(job).jobId());
            });
  }

  @AfterAll
  static void cancelLeftovers() {
    CLEANUP.forEach(Runnable::run);
  }

  private static JobSubmission.Builder submission(ApiTarget t, String name, String body) {
    return JobSubmission.builder(
            "daskmpi-it-" + name, "#!/bin/bash\n" + body + "\n", 1, t.cluster().workDir())
        .standardOutput(t.cluster().workDir() + "/daskmpi-it-%j.out")
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("LANG", "C.UTF-8");
  }

  private static SlurmJob awaitFinished(SlurmClient client, long jobId, Duration limit) {
    return await()
        .atMost(limit)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> client.get(jobId).orElseThrow(), SlurmJob::isFinished);
  }

  private static void cancelLater(SlurmClient client, long jobId) {
    synchronized (CLEANUP) {
      CLEANUP.add(
          () -> {
            try {
              client.cancel(jobId);
            } catch (SlurmException ignored) {
              // already gone is fine
            }
          });
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void pingNamesTheReleaseAndSpeaksTheVersion(ApiTarget t) {
    ClusterInfo info = t.client().ping();
    assertThat(info.controllerResponding()).isTrue();
    assertThat(info.slurmRelease()).startsWith(t.cluster().version() + ".");
    assertThat(info.apiVersion()).isEqualTo(t.version());
    assertThat(info.offeredVersions()).contains(t.version().label());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void threeTaskJobRunsToCompletion(ApiTarget t) throws IOException {
    SlurmClient client = t.client();
    JobSubmission job =
        JobSubmission.builder(
                "daskmpi-it-ok",
                "#!/bin/bash\nsleep 1\nsrun -n 3 hostname\n",
                3,
                t.cluster().workDir())
            .standardOutput(t.cluster().workDir() + "/daskmpi-it-%j.out")
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .timeLimitMinutes(5)
            .build();
    long id = client.submit(job).jobId();

    SlurmJob first = client.get(id).orElseThrow();
    assertThat(first.state()).isIn(JobState.PENDING, JobState.RUNNING);
    SlurmJob running =
        await()
            .atMost(JOB_WAIT)
            .until(() -> client.get(id).orElseThrow(), j -> j.state() != JobState.PENDING);
    assertThat(running.state()).isIn(JobState.RUNNING, JobState.COMPLETED);
    assertThat(running.nodes()).isNotEmpty();

    SlurmJob done = awaitFinished(client, id, JOB_WAIT);
    assertThat(done.state()).isEqualTo(JobState.COMPLETED);
    assertThat(done.exit()).isEqualTo(ExitStatus.exited(0));
    assertThat(done.startTime()).isNotNull();
    assertThat(done.endTime()).isAfterOrEqualTo(done.startTime());
    assertThat(done.userName()).isEqualTo(t.cluster().user());
    assertThat(done.standardOutput())
        .isEqualTo(t.cluster().workDir() + "/daskmpi-it-" + id + ".out");
    assertThat(Files.readAllLines(Path.of(done.standardOutput()))).hasSize(3);
  }

  /**
   * The placement fields reach Slurm as sbatch's --nodes, --ntasks-per-node and --exclusive would:
   * the job sees them in its own SLURM_* variables (an exclusive job holds all 8 CPUs of its node).
   * GET /job cannot show exclusivity on every version, so the job reports it.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void placementFieldsShapeTheAllocation(ApiTarget t) throws IOException {
    SlurmClient client = t.client();
    String report =
        "echo nodes=$SLURM_JOB_NUM_NODES tasks=$SLURM_TASKS_PER_NODE cpus=$SLURM_JOB_CPUS_PER_NODE";
    JobSubmission.Builder shape =
        JobSubmission.builder("daskmpi-it-placement", "#!/bin/bash\n" + report + "\n", 2, "/tmp")
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .standardOutput(t.cluster().workDir() + "/daskmpi-it-%j.out")
            .nodes(1)
            .tasksPerNode(2);
    long exclusive = client.submit(shape.exclusive(true).build()).jobId();
    long shared = client.submit(shape.exclusive(false).build()).jobId();

    // The whole node: it may wait for the time-limit jobs of submitTimeLimitJobs() to end.
    Duration wait = JOB_WAIT.plusMinutes(2);
    assertThat(awaitFinished(client, exclusive, wait).state()).isEqualTo(JobState.COMPLETED);
    SlurmJob sharedJob = awaitFinished(client, shared, wait);
    assertThat(sharedJob.state()).isEqualTo(JobState.COMPLETED);
    assertThat(outputOf(t, exclusive)).containsExactly("nodes=1 tasks=2 cpus=8");
    assertThat(outputOf(t, shared)).containsExactly("nodes=1 tasks=2 cpus=2");
  }

  private static List<String> outputOf(ApiTarget t, long jobId) throws IOException {
    return Files.readAllLines(Path.of(t.cluster().workDir(), "daskmpi-it-" + jobId + ".out"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void failingScriptReportsItsExitCode(ApiTarget t) {
    SlurmClient client = t.client();
    long id = client.submit(submission(t, "exit3", "exit 3").build()).jobId();
    SlurmJob done = awaitFinished(client, id, JOB_WAIT);
    assertThat(done.state()).isEqualTo(JobState.FAILED);
    assertThat(done.exit()).isEqualTo(ExitStatus.exited(3));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void killedScriptReportsTheSignal(ApiTarget t) {
    SlurmClient client = t.client();
    long id = client.submit(submission(t, "kill9", "kill -9 $$").build()).jobId();
    SlurmJob done = awaitFinished(client, id, JOB_WAIT);
    assertThat(done.state()).isEqualTo(JobState.FAILED);
    assertThat(done.exit()).isEqualTo(ExitStatus.signaled(9));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void cancelEndsARunningJobAsCancelled(ApiTarget t) {
    SlurmClient client = t.client();
    long id = client.submit(submission(t, "cancel", "sleep 300").build()).jobId();
    cancelLater(client, id);
    await().atMost(JOB_WAIT).until(() -> client.get(id).orElseThrow().state() == JobState.RUNNING);
    client.cancel(id);
    SlurmJob done = awaitFinished(client, id, JOB_WAIT);
    assertThat(done.state()).isEqualTo(JobState.CANCELLED);
    client.cancel(id); // cancelling a finished job is no error
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void timeLimitEndsAsTimeout(ApiTarget t) {
    SlurmClient client = t.client();
    long id = TIMEOUT_JOBS.get(t);
    cancelLater(client, id);
    SlurmJob done = awaitFinished(client, id, Duration.ofMinutes(4));
    assertThat(done.state()).isEqualTo(JobState.TIMEOUT);
    assertThat(done.reason()).isEqualTo("TimeLimit");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void unknownJobIsNotFound(ApiTarget t) {
    assertThat(t.client().get(987_654_321L)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void badTokenIsAnAuthError(ApiTarget t) throws IOException {
    Path bad = Files.createTempFile("bad-token", "");
    Files.writeString(bad, "eyJhbGciOiJIUzI1NiJ9.eyJzdW4iOiJkYXNram9iIn0.bm90LXNpZ25lZA\n");
    var endpoint =
        new SlurmEndpoint(t.cluster().endpoint().url(), t.cluster().user(), bad)
            .withApiVersion(t.version());
    SlurmClient client = SlurmClients.connect(endpoint);
    assertThatThrownBy(client::checkAccess)
        .isInstanceOf(SlurmException.Auth.class)
        .hasMessageNotContaining("bm90LXNpZ25lZA");
    assertThatThrownBy(() -> client.get(1)).isInstanceOf(SlurmException.Auth.class);
    Files.delete(bad);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void heldSubmitIsAcceptedWithAWarning(ApiTarget t) {
    SlurmClient client = t.client();
    SubmitResult result = client.submit(submission(t, "held", "true").hold(true).build());
    cancelLater(client, result.jobId());
    assertThat(result.warnings()).isNotEmpty();
    SlurmJob job = client.get(result.jobId()).orElseThrow();
    assertThat(job.state()).isEqualTo(JobState.PENDING);
    assertThat(job.reason()).isEqualTo("JobHeldUser");
    client.cancel(result.jobId());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void rejectedSubmitNamesTheCause(ApiTarget t) {
    JobSubmission bad = submission(t, "badpart", "true").partition("no-such-partition").build();
    assertThatThrownBy(() -> t.client().submit(bad))
        .isInstanceOf(SlurmException.Rejected.class)
        .hasMessageContaining("2000");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void changedSinceListsOnlyChangedJobsAndNoChangeIsNotGone(ApiTarget t)
      throws InterruptedException {
    SlurmClient client = t.client();
    long before = client.submit(submission(t, "before", "true").build()).jobId();
    awaitFinished(client, before, JOB_WAIT);
    Thread.sleep(1100);
    Instant since = Instant.now();
    Thread.sleep(1100);
    long after = client.submit(submission(t, "after", "true").hold(true).build()).jobId();
    cancelLater(client, after);

    JobListing changed = client.listChangedSince(since);
    assertThat(changed.unchanged()).isFalse();
    assertThat(changed.jobs()).extracting(SlurmJob::id).contains(after).doesNotContain(before);
    assertThat(changed.asOf()).isAfter(since.minusSeconds(10));

    JobListing everything = client.listChangedSince(Instant.EPOCH);
    assertThat(everything.unchanged()).isFalse();
    assertThat(everything.jobs()).extracting(SlurmJob::id).contains(before, after);

    JobListing none = client.listChangedSince(Instant.now().plusSeconds(3600));
    assertThat(none.unchanged()).isTrue();
    assertThat(none.jobs()).isEmpty();
    assertThat(client.get(before)).as("no change is not gone").isPresent();
    client.cancel(after);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void findByTagFindsTheJob(ApiTarget t) {
    SlurmClient client = t.client();
    String tag = "daskmpi.io/it/" + UUID.randomUUID();
    long id =
        client.submit(submission(t, "tagged", "true").comment(tag).hold(true).build()).jobId();
    cancelLater(client, id);
    assertThat(client.findByTag(tag)).extracting(SlurmJob::id).containsExactly(id);
    assertThat(client.findByTag(tag + "-other")).isEmpty();
    client.cancel(id);
  }

  /**
   * jobs/state answers for the asked ids alone, leaves out ids slurmctld does not hold, and takes
   * more ids than one request carries; v0.0.38 (22.05) has no such endpoint.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void jobStatesAnswerForTheAskedIdsAlone(ApiTarget t) {
    SlurmClient client = t.client();
    assertThat(client.hasStateQuery()).isEqualTo(t.version() != ApiVersion.V0_0_38);
    if (!client.hasStateQuery()) {
      assertThatThrownBy(() -> client.states(List.of(1L)))
          .isInstanceOf(UnsupportedOperationException.class);
      return;
    }
    long held = client.submit(submission(t, "state", "true").hold(true).build()).jobId();
    cancelLater(client, held);
    long other = client.submit(submission(t, "other", "true").hold(true).build()).jobId();
    cancelLater(client, other);
    // 2,500 ids no job has, in three requests, with ours in the last one. (Ids stay below Slurm's
    // largest, 67,108,863: 26.05 answers a larger one with HTTP 500, 24.11 with a broken answer.)
    List<Long> asked = new ArrayList<>();
    for (long id = held + 1_000_000L; asked.size() < 2500; id++) {
      asked.add(id);
    }
    asked.add(held);

    Map<Long, List<String>> states = client.states(asked);

    assertThat(states).containsOnlyKeys(held);
    assertThat(states.get(held)).first().isEqualTo("PENDING");
    client.cancel(held);
    assertThat(client.states(List.of(held)).get(held)).contains("CANCELLED");
    client.cancel(other);
  }

  @Test
  void everyClusterUnderTestIsReachable() {
    assertThat(targets().map(t -> t.cluster().version()).distinct())
        .containsExactlyElementsOf(LocalSlurm.versions());
  }
}
