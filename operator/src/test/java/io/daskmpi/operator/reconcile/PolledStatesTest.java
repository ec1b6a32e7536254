package io.daskmpi.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.slurm.ExitStatus;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.SlurmJob;
import io.daskmpi.operator.testing.FakeSlurm;
import io.daskmpi.operator.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What following jobs by id costs slurmrestd: requests per poll, by what changed. */
class PolledStatesTest {
  private static final Duration POLL = Duration.ofSeconds(10);
  private static final Duration RESYNC = Duration.ofSeconds(100);

  private FakeSlurm slurm;
  private ManualClock clock;
  private PolledStates states;
  private final List<Long> ours = new ArrayList<>();

  @BeforeEach
  void fiftyOfOursAmongAThousandForeignJobs() {
    slurm = new FakeSlurm();
    clock = new ManualClock(Instant.parse("2026-12-02T10:00:00Z"));
    states = new PolledStates(slurm, POLL, RESYNC, clock);
    for (int i = 0; i < 1000; i++) {
      slurm.addForeignJob("someone else's");
    }
    for (int i = 0; i < 50; i++) {
      ours.add(slurm.addForeignJob("daskmpi.io/ns/j" + i + "/uid"));
    }
    ours.forEach(states::current); // the first look reads each job once
  }

  /** Every reconcile of one poll interval, as JOSDK makes them. */
  private void pollInterval() {
    clock.advance(POLL);
    ours.forEach(states::current);
  }

  @Test
  void anUnchangedPollIsOneStateQueryNamingOnlyOurJobs() {
    long gets = slurm.gets();

    pollInterval();

    assertThat(slurm.stateQueries()).isEqualTo(1);
    assertThat(slurm.lastStateQuerySize()).isEqualTo(50);
    assertThat(slurm.gets()).isEqualTo(gets);
    assertThat(slurm.listings()).isZero();
  }

  @Test
  void aJobWhoseStateChangedIsReadAgainAndNoOther() {
    pollInterval();
    slurm.set(ours.get(7), JobState.RUNNING, null);
    long gets = slurm.gets();

    pollInterval();

    assertThat(slurm.gets()).isEqualTo(gets + 1);
    assertThat(states.current(ours.get(7))).map(SlurmJob::state).contains(JobState.RUNNING);
  }

  @Test
  void anEndedJobIsAskedForUntilNoLookWantsItForAResyncInterval() {
    slurm.set(ours.get(0), JobState.COMPLETED, ExitStatus.exited(0));
    pollInterval(); // the query sees the end; the job's own look reads it
    List<Long> others = ours.subList(1, ours.size());

    clock.advance(POLL);
    others.forEach(states::current);
    assertThat(slurm.lastStateQuerySize()).as("a requeue could bring it back").isEqualTo(50);

    for (int i = 0; i < 11; i++) {
      clock.advance(POLL);
      others.forEach(states::current);
    }
    assertThat(slurm.lastStateQuerySize()).isEqualTo(49);
  }

  @Test
  void aRequeuedJobIsSeenPendingAgain() {
    slurm.set(ours.get(2), JobState.NODE_FAIL, null);
    pollInterval(); // read as NODE_FAIL: ended, but Slurm requeues it
    slurm.set(ours.get(2), JobState.PENDING, null);
    clock.advance(POLL);

    assertThat(states.poll()).contains(ours.get(2));
    assertThat(states.current(ours.get(2))).map(SlurmJob::state).contains(JobState.PENDING);
  }

  @Test
  void aJobSlurmctldForgotIsLookedUpOnceAndThenReportedGone() {
    slurm.forget(ours.get(3));
    long gets = slurm.gets();

    clock.advance(POLL);
    Optional<SlurmJob> seen = states.current(ours.get(3));

    assertThat(seen).isEmpty();
    assertThat(slurm.gets()).isEqualTo(gets + 1);
    assertThat(states.size()).isEqualTo(49);
  }

  @Test
  void pendingJobsAreReReadAboutOncePerResyncIntervalSpreadOverThePolls() {
    long gets = slurm.gets();
    List<Long> perPoll = new ArrayList<>();
    for (int i = 0; i < 20; i++) { // two resync intervals
      long before = slurm.gets();
      pollInterval();
      perPoll.add(slurm.gets() - before);
    }
    // 50 pending jobs, a resync interval of 10 polls: 5 re-reads per poll, never a burst of 50.
    assertThat(perPoll).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(5));
    assertThat(slurm.gets() - gets).isBetween(50L, 100L);
  }

  @Test
  void aJobNoReconcileAskedForDuringAResyncIntervalIsForgotten() {
    List<Long> kept = ours.subList(0, 10);
    for (int i = 0; i < 11; i++) {
      clock.advance(POLL);
      kept.forEach(states::current);
    }
    assertThat(states.size()).isEqualTo(10);
  }

  @Test
  void aFailedQueryIsRetriedByTheNextLook() {
    clock.advance(POLL);
    slurm.setDown(true);
    try {
      states.current(ours.get(0));
    } catch (RuntimeException expected) {
      // the outage reaches the caller, which reports Slurm unreachable
    }
    slurm.setDown(false);

    states.current(ours.get(0));

    assertThat(slurm.stateQueries()).isEqualTo(1);
  }

  @Test
  void aPollNamesTheJobsWhoseStateChangedOnceAndNoOther() {
    slurm.set(ours.get(4), JobState.RUNNING, null);
    slurm.forget(ours.get(9));
    clock.advance(POLL);

    assertThat(states.poll()).containsExactlyInAnyOrder(ours.get(4), ours.get(9));
    assertThat(states.poll()).as("drained; no poll due yet").isEmpty();
    clock.advance(POLL);
    assertThat(states.poll()).as("nothing changed since").isEmpty();
    assertThat(slurm.stateQueries()).isEqualTo(2);
  }

  @Test
  void aPollAlsoNamesThePendingJobsDueForARefresh() {
    clock.advance(RESYNC);

    // 50 pending jobs, a resync interval of 10 polls: 5 of them per poll.
    assertThat(states.poll()).hasSize(5).isSubsetOf(ours);
  }

  @Test
  void pendingRefreshesPerPollAreCapped() {
    // A resync interval of one poll would want all 50 pending jobs re-read every poll.
    PolledStates eager = new PolledStates(slurm, POLL, POLL, clock);
    ours.forEach(eager::current);
    clock.advance(POLL);

    assertThat(eager.poll()).hasSize(PolledStates.MAX_REFRESHES_PER_POLL);
  }
}
