package io.daskmpi.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.slurm.ApiVersion;
import io.daskmpi.operator.slurm.ClusterInfo;
import io.daskmpi.operator.slurm.ExitStatus;
import io.daskmpi.operator.slurm.JobListing;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.JobSubmission;
import io.daskmpi.operator.slurm.JobUpdate;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.SlurmJob;
import io.daskmpi.operator.slurm.SubmitResult;
import io.daskmpi.operator.submit.Examples;
import io.daskmpi.operator.submit.JobIdentity;
import io.daskmpi.operator.submit.JobRenderer;
import io.daskmpi.operator.submit.RenderSettings;
import io.daskmpi.operator.testing.FakeSlurm;
import io.daskmpi.operator.testing.ManualClock;
import io.daskmpi.operator.testing.TestEndpoints;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobTrackerTest {
  private static final JobIdentity A = new JobIdentity("ns", "a", "uid-a", Instant.EPOCH);
  private static final JobIdentity B = new JobIdentity("ns", "b", "uid-b", Instant.EPOCH);

  /** A slurmrestd whose polls (listings, state queries) hang until released. */
  static final class HangingPolls implements SlurmClient {
    final FakeSlurm slurm = new FakeSlurm();
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch polling = new CountDownLatch(1);
    final AtomicInteger polls = new AtomicInteger();

    HangingPolls(boolean stateQuery) {
      slurm.setStateQuery(stateQuery);
    }

    private void hang() {
      polls.incrementAndGet();
      polling.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public JobListing listChangedSince(Instant since) {
      hang();
      return slurm.listChangedSince(since);
    }

    @Override
    public boolean hasStateQuery() {
      return slurm.hasStateQuery();
    }

    @Override
    public Map<Long, List<String>> states(Collection<Long> jobIds) {
      hang();
      return slurm.states(jobIds);
    }

    @Override
    public ApiVersion apiVersion() {
      return slurm.apiVersion();
    }

    @Override
    public ClusterInfo ping() {
      return slurm.ping();
    }

    @Override
    public void checkAccess() {
      slurm.checkAccess();
    }

    @Override
    public SubmitResult submit(JobSubmission submission) {
      return slurm.submit(submission);
    }

    @Override
    public Optional<SlurmJob> get(long jobId) {
      return slurm.get(jobId);
    }

    @Override
    public List<SlurmJob> findByTags(Set<String> tags) {
      return slurm.findByTags(tags);
    }

    @Override
    public boolean hasHistory() {
      return slurm.hasHistory();
    }

    @Override
    public Optional<SlurmJob> history(long jobId, String tag) {
      return slurm.history(jobId, tag);
    }

    @Override
    public List<SlurmJob> historyByTag(String tag, String name, Instant since) {
      return slurm.historyByTag(tag, name, since);
    }

    @Override
    public void update(long jobId, JobUpdate update) {
      slurm.update(jobId, update);
    }

    @Override
    public void cancel(long jobId) {
      slurm.cancel(jobId);
    }
  }

  @ParameterizedTest(name = "jobs/state served: {0}")
  @ValueSource(booleans = {true, false})
  void aSlowPollStallsOnlyTheReconcileThatMakesIt(boolean stateQuery) throws Exception {
    HangingPolls client = new HangingPolls(stateQuery);
    long a = client.slurm.addOwnJob(A.tag());
    long b = client.slurm.addOwnJob(B.tag());
    ManualClock clock = new ManualClock(Instant.parse("2026-12-02T10:00:00Z"));
    JobTracker tracker =
        new JobTracker(
            client, TestEndpoints.USER, Duration.ofSeconds(1), Duration.ofMinutes(5), clock);
    if (stateQuery) {
      // The first looks read each job; the next poll interval's first look makes the query.
      tracker.observe(A, a, true);
      tracker.observe(B, b, true);
      clock.advance(Duration.ofSeconds(2));
    }

    CompletableFuture<Observation> slow =
        CompletableFuture.supplyAsync(() -> tracker.observe(A, a, true));
    assertThat(client.polling.await(10, TimeUnit.SECONDS)).isTrue();
    // While that poll hangs, another resource of the endpoint is observed without waiting.
    Observation other =
        CompletableFuture.supplyAsync(() -> tracker.observe(B, b, true)).get(10, TimeUnit.SECONDS);
    assertThat(other).isInstanceOf(Observation.Found.class);
    assertThat(slow).isNotDone();
    assertThat(client.polls).hasValue(1);

    client.release.countDown();
    assertThat(slow.get(10, TimeUnit.SECONDS)).isInstanceOf(Observation.Found.class);
  }

  private static JobTracker trackerOf(FakeSlurm slurm) {
    return new JobTracker(
        slurm, TestEndpoints.USER, Duration.ZERO, Duration.ofMinutes(5), Clock.systemUTC());
  }

  private static long submitAndEnd(FakeSlurm slurm, JobIdentity id, int exitCode) {
    long job =
        slurm
            .submit(
                new JobRenderer(RenderSettings.defaults())
                    .render(id, Examples.load("dask-example-local.yaml").getSpec()))
            .jobId();
    slurm.set(job, JobState.FAILED, ExitStatus.exited(exitCode));
    return job;
  }

  @Test
  void aJobSlurmctldForgotIsReadFromSlurmdbdWithItsRealEnd() {
    FakeSlurm slurm = new FakeSlurm();
    slurm.keepHistory();
    long job = submitAndEnd(slurm, A, 3);
    slurm.forget(job);

    Observation seen = trackerOf(slurm).observe(A, job, true);

    assertThat(seen).isInstanceOf(Observation.Found.class);
    SlurmJob found = ((Observation.Found) seen).job();
    assertThat(found.state()).isEqualTo(JobState.FAILED);
    assertThat(found.exit()).isEqualTo(ExitStatus.exited(3));
  }

  @Test
  void withoutSlurmdbdAForgottenJobIsGone() {
    FakeSlurm slurm = new FakeSlurm();
    long job = submitAndEnd(slurm, A, 3);
    slurm.forget(job);

    assertThat(trackerOf(slurm).observe(A, job, true)).isEqualTo(new Observation.Gone(job));
  }

  @Test
  void aRecordOfAnotherResourceUnderTheSameIdIsGone() {
    FakeSlurm slurm = new FakeSlurm();
    slurm.keepHistory();
    long job = submitAndEnd(slurm, B, 0);
    slurm.forget(job);

    assertThat(trackerOf(slurm).observe(A, job, true)).isEqualTo(new Observation.Gone(job));
  }

  @Test
  void aFoundIntentWithoutAJobIdIsLookedUpByTagAlsoInSlurmdbd() {
    // Submitted, the status write lost, and slurmctld forgot the job before the next look.
    FakeSlurm slurm = new FakeSlurm();
    slurm.keepHistory();
    long job = submitAndEnd(slurm, A, 0);
    slurm.forget(job);

    Observation seen = trackerOf(slurm).observe(A, null, true);

    assertThat(seen).isInstanceOf(Observation.Found.class);
    assertThat(((Observation.Found) seen).job().id()).isEqualTo(job);
  }

  @Test
  void withoutAnIntentNothingWasSubmittedAndSlurmIsNotAsked() {
    FakeSlurm slurm = new FakeSlurm();
    slurm.addForeignJob(A.tag()); // even a job carrying the tag: no intent, no lookup

    assertThat(trackerOf(slurm).observe(A, null, false)).isEqualTo(new Observation.NotSubmitted());
    assertThat(slurm.listings()).isZero();
    assertThat(slurm.gets()).isZero();
  }

  @Test
  void anIntentWithoutAJobIdFindsTheJobByItsTag() {
    FakeSlurm slurm = new FakeSlurm();
    long job = slurm.addOwnJob(A.tag());

    Observation seen = trackerOf(slurm).observe(A, null, true);

    assertThat(seen).isInstanceOf(Observation.Found.class);
    assertThat(((Observation.Found) seen).job().id()).isEqualTo(job);
    assertThat(slurm.listings()).isEqualTo(1);
  }

  @Test
  void aJobOfAnotherUserCarryingTheTagIsNeverTakenForTheResources() {
    FakeSlurm slurm = new FakeSlurm();
    long planted = slurm.addForeignJob(A.tag());
    JobTracker tracker = trackerOf(slurm);

    assertThat(tracker.observe(A, null, true))
        .as("the tag lookup adopts only jobs of the connection's user")
        .isEqualTo(new Observation.NotSubmitted());
    assertThat(tracker.observe(A, planted, true))
        .as("a status naming another user's job does not show it")
        .isEqualTo(new Observation.Gone(planted));
    assertThat(tracker.activeByTag(A)).as("nothing of it is cancelled").isEmpty();
  }

  @Test
  void ourOwnSubmitIsFollowedByIdWhileTheStatusDoesNotShowItsId() {
    // The informer cache may hand the next reconcile the status written before the submit.
    FakeSlurm slurm = new FakeSlurm();
    JobTracker tracker = trackerOf(slurm);
    long job = slurm.addOwnJob(A.tag());
    tracker.submitted(A, job);

    Observation seen = tracker.observe(A, null, true);

    assertThat(seen).isInstanceOf(Observation.Found.class);
    assertThat(slurm.listings()).isZero();
    assertThat(tracker.submittedId(A)).contains(job);
    tracker.observe(A, job, true); // the status shows the id: the memory is dropped
    assertThat(tracker.submittedId(A)).isEmpty();
  }
}
