package io.daskmpi.operator.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.daskmpi.operator.reconcile.JobTracker;
import io.daskmpi.operator.reconcile.Observation;
import io.daskmpi.operator.slurm.rest.SlurmClients;
import io.daskmpi.operator.submit.JobIdentity;
import io.daskmpi.operator.testing.ApiTarget;
import io.daskmpi.operator.testing.LocalSlurm;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jobs past MinJobAge, as sites see them: the local clusters run with Slurm's default (300 s), so
 * slurmctld forgets a finished job about five minutes after its end. Its record in slurmdbd then
 * gives the operator the real end (state and exit code; the state only on 22.05, whose dbv0.0.38
 * reports every exit code as 0), in every REST API version each cluster offers, and the tag lookup
 * before a submit still finds it, so it is never submitted twice.
 */
class JobHistoryIT {
  /** MinJobAge plus slurmctld's purge cycle, with room for a busy machine. */
  private static final Duration FORGET_WAIT = Duration.ofMinutes(9);

  private static final Map<String, JobIdentity> IDENTITIES = new ConcurrentHashMap<>();
  private static final Map<String, Long> JOBS = new ConcurrentHashMap<>();

  static Stream<ApiTarget> targets() {
    return ApiTarget.all();
  }

  /** One job per cluster that exits 3; then wait, once for all, until slurmctld forgets them. */
  @BeforeAll
  static void runJobsAndWaitUntilSlurmctldForgetsThem() {
    Map<String, SlurmClient> clients = new ConcurrentHashMap<>();
    for (String version : LocalSlurm.versions()) {
      LocalSlurm cluster = LocalSlurm.of(version);
      SlurmClient client = SlurmClients.connect(cluster.endpoint());
      JobIdentity id =
          new JobIdentity(
              "history",
              "aged-" + version.replace('.', '-'),
              UUID.randomUUID().toString(),
              Instant.now());
      JobSubmission job =
          JobSubmission.builder(id.name(), "#!/bin/bash\nexit 3\n", 1, cluster.workDir())
              .comment(id.tag())
              .standardOutput(cluster.workDir() + "/daskmpi-it-%j.out")
              .env("PATH", "/usr/bin:/bin")
              .build();
      IDENTITIES.put(version, id);
      JOBS.put(version, client.submit(job).jobId());
      clients.put(version, client);
    }
    long t0 = System.nanoTime();
    await()
        .atMost(FORGET_WAIT)
        .pollInterval(Duration.ofSeconds(5))
        .until(
            () ->
                clients.entrySet().stream()
                    .allMatch(e -> e.getValue().get(JOBS.get(e.getKey())).isEmpty()));
    System.out.printf(
        "FIGURE slurmctld-forgot-finished-jobs-after %.0f s%n", (System.nanoTime() - t0) / 1e9);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void aJobPastMinJobAgeShowsItsRealEndFromSlurmdbd(ApiTarget t) {
    SlurmClient client = t.client();
    String version = t.cluster().version();
    long jobId = JOBS.get(version);
    assertThat(client.hasHistory())
        .as("slurmrestd serves /slurmdb/" + t.version().label())
        .isTrue();
    assertThat(client.get(jobId)).as("slurmctld has forgotten job " + jobId).isEmpty();

    SlurmJob record = client.history(jobId, IDENTITIES.get(version).tag()).orElseThrow();
    assertThat(record.state()).isEqualTo(JobState.FAILED);
    // 22.05's dbv0.0.38 reports exit 0 for every job (sacct shows 3:0): there only the state
    // counts.
    assertThat(record.exit())
        .isEqualTo(t.version() == ApiVersion.V0_0_38 ? null : ExitStatus.exited(3));
    assertThat(record.comment()).isEqualTo(IDENTITIES.get(version).tag());
    assertThat(record.endTime()).isNotNull();

    // What the operator sees: the job's real end, and no resubmission of a purged job.
    JobTracker tracker =
        new JobTracker(
            client, t.cluster().user(), Duration.ZERO, Duration.ofMinutes(5), Clock.systemUTC());
    JobIdentity id = IDENTITIES.get(version);
    assertThat(tracker.observe(id, jobId, true)).isEqualTo(new Observation.Found(record));
    assertThat(tracker.observe(id, null, true))
        .isInstanceOfSatisfying(
            Observation.Found.class, f -> assertThat(f.job().id()).isEqualTo(jobId));
  }
}
