package io.daskmpi.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.slurm.ApiVersion;
import io.daskmpi.operator.slurm.ClusterInfo;
import io.daskmpi.operator.slurm.JobListing;
import io.daskmpi.operator.slurm.JobSubmission;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.SlurmJob;
import io.daskmpi.operator.slurm.SubmitResult;
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
    public void cancel(long jobId) {
      slurm.cancel(jobId);
    }
  }

  @Test
  void aSlowListingStallsOnlyTheReconcileThatMakesIt() throws Exception {
    HangingListings client = new HangingListings();
    long a = client.slurm.addForeignJob("tag-a");
    long b = client.slurm.addForeignJob("tag-b");
    JobTracker tracker =
        new JobTracker(client, Duration.ofSeconds(1), Duration.ofMinutes(5), Clock.systemUTC());

    CompletableFuture<Observation> slow =
        CompletableFuture.supplyAsync(() -> tracker.observe("tag-a", a));
    assertThat(client.listing.await(10, TimeUnit.SECONDS)).isTrue();
    // While that listing hangs, another resource of the endpoint is observed without waiting.
    Observation other =
        CompletableFuture.supplyAsync(() -> tracker.observe("tag-b", b)).get(10, TimeUnit.SECONDS);
    assertThat(other).isInstanceOf(Observation.Found.class);
    assertThat(slow).isNotDone();
    assertThat(client.listings).hasValue(1);

    client.release.countDown();
    assertThat(slow.get(10, TimeUnit.SECONDS)).isInstanceOf(Observation.Found.class);
  }
}
