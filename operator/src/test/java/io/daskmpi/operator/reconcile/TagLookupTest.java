package io.daskmpi.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.slurm.SlurmJob;
import io.daskmpi.operator.testing.FakeSlurm;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TagLookupTest {

  @Test
  void lookupsThatArriveWhileAListingRunsShareTheNextOne() throws Exception {
    FakeSlurm slurm = new FakeSlurm();
    for (int i = 0; i < 20; i++) {
      slurm.addForeignJob("tag-" + i);
    }
    CountDownLatch firstSent = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger listings = new AtomicInteger();
    List<Set<String>> asked = new ArrayList<>();
    slurm.onListing(
        tags -> {
          synchronized (asked) {
            asked.add(tags);
          }
          if (listings.incrementAndGet() == 1) {
            firstSent.countDown();
            await(release);
          }
        });
    TagLookup lookup = new TagLookup(slurm);

    CompletableFuture<List<SlurmJob>> first =
        CompletableFuture.supplyAsync(() -> lookup.find("tag-0"));
    assertThat(firstSent.await(10, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<List<SlurmJob>>> later = new ArrayList<>();
    for (int i = 1; i < 20; i++) {
      String tag = "tag-" + i;
      later.add(CompletableFuture.supplyAsync(() -> lookup.find(tag)));
    }
    waitUntilQueued(lookup, 19);
    release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS))
        .extracting(SlurmJob::comment)
        .containsExactly("tag-0");
    for (int i = 1; i < 20; i++) {
      assertThat(later.get(i - 1).get(10, TimeUnit.SECONDS))
          .extracting(SlurmJob::comment)
          .containsExactly("tag-" + i);
    }
    // The 19 that came while the first listing ran were answered by one more, not 19.
    assertThat(listings).hasValue(2);
    assertThat(asked.get(1)).hasSize(19);
  }

  @Test
  void aFailedListingFailsEveryLookupItAnswered() {
    FakeSlurm slurm = new FakeSlurm();
    slurm.setDown(true);
    TagLookup lookup = new TagLookup(slurm);

    CompletableFuture<List<SlurmJob>> failed =
        CompletableFuture.supplyAsync(() -> lookup.find("tag"));

    assertThat(failed)
        .failsWithin(10, TimeUnit.SECONDS)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(io.daskmpi.operator.slurm.SlurmException.Unavailable.class);
  }

  private static void waitUntilQueued(TagLookup lookup, int callers) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (lookup.waiting() < callers && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(lookup.waiting()).isEqualTo(callers);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
