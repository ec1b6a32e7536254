package io.daskmpi.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.slurm.ApiVersion;
import io.daskmpi.operator.slurm.ClusterInfo;
import io.daskmpi.operator.slurm.ExitStatus;
import io.daskmpi.operator.slurm.JobListing;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.JobSubmission;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.SlurmJob;
import io.daskmpi.operator.slurm.SubmitResult;
import io.daskmpi.operator.submit.Examples;
import io.daskmpi.operator.submit.JobIdentity;
import io.daskmpi.operator.submit.JobRenderer;
import io.daskmpi.operator.submit.RenderSettings;
import io.daskmpi.operator.testing.FakeSlurm;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JobTrackerTest {
  private static final JobIdentity A = new JobIdentity("ns", "a", "uid-a", Instant.EPOCH);
  private static final JobIdentity B = new JobIdentity("ns", "b", "uid-b", Instant.EPOCH);

  /** A slurmrestd whose listings hang until released; everything else answers at once. */
  static final class HangingListings implements SlurmClient {
    final FakeSlurm slurm = new FakeSlurm();
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch listing = new CountDownLatch(1);
    final AtomicInteger listings = new AtomicInteger();

    @Override
    public JobListing listChangedSince(Instant since) {
      listings.incrementAndGet();
      listing.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return slurm.listChangedSince(since);
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
    public List<SlurmJob> findByTag(String tag) {
      return slurm.findByTag(tag);
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
    public void cancel(long jobId) {
      slurm.cancel(jobId);
    }
  }

  @Test
  void aSlowListingStallsOnlyTheReconcileThatMakesIt() throws Exception {
    HangingListings client = new HangingListings();
    long a = client.slurm.addForeignJob(A.tag());
    long b = client.slurm.addForeignJob(B.tag());
    JobTracker tracker =
        new JobTracker(client, Duration.ofSeconds(1), Duration.ofMinutes(5), Clock.systemUTC());

    CompletableFuture<Observation> slow =
        CompletableFuture.supplyAsync(() -> tracker.observe(A, a));
    assertThat(client.listing.await(10, TimeUnit.SECONDS)).isTrue();
    // While that listing hangs, another resource of the endpoint is observed without waiting.
    Observation other =
        CompletableFuture.supplyAsync(() -> tracker.observe(B, b)).get(10, TimeUnit.SECONDS);
    assertThat(other).isInstanceOf(Observation.Found.class);
    assertThat(slow).isNotDone();
    assertThat(client.listings).hasValue(1);

    client.release.countDown();
    assertThat(slow.get(10, TimeUnit.SECONDS)).isInstanceOf(Observation.Found.class);
  }

  private static JobTracker trackerOf(FakeSlurm slurm) {
    return new JobTracker(slurm, Duration.ZERO, Duration.ofMinutes(5), Clock.systemUTC());
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

    Observation seen = trackerOf(slurm).observe(A, job);

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

    assertThat(trackerOf(slurm).observe(A, job)).isEqualTo(new Observation.Gone(job));
  }

  @Test
  void aRecordOfAnotherResourceUnderTheSameIdIsGone() {
    FakeSlurm slurm = new FakeSlurm();
    slurm.keepHistory();
    long job = submitAndEnd(slurm, B, 0);
    slurm.forget(job);

    assertThat(trackerOf(slurm).observe(A, job)).isEqualTo(new Observation.Gone(job));
  }

  @Test
  void theTagLookupBeforeSubmittingAlsoAsksSlurmdbd() {
    // Submitted, the status write lost, and slurmctld forgot the job before the next look.
    FakeSlurm slurm = new FakeSlurm();
    slurm.keepHistory();
    long job = submitAndEnd(slurm, A, 0);
    slurm.forget(job);

    Observation seen = trackerOf(slurm).observe(A, null);

    assertThat(seen).isInstanceOf(Observation.Found.class);
    assertThat(((Observation.Found) seen).job().id()).isEqualTo(job);
  }
}
