package io.daskmpi.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.slurm.ExitStatus;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.testing.FakeSlurm;
import io.daskmpi.operator.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** REST API v0.0.38's listings, as a source of which jobs changed. */
class ListedStatesTest {
  private static final Duration POLL = Duration.ofSeconds(10);

  @Test
  void aPollNamesTheJobsTheListingShowsChanged() {
    FakeSlurm slurm = new FakeSlurm();
    slurm.setStateQuery(false);
    ManualClock clock = new ManualClock(Instant.parse("2026-12-02T10:00:00Z"));
    ListedStates states = new ListedStates(slurm, POLL, Duration.ofHours(1), clock);
    long same = slurm.addOwnJob("daskmpi.io/ns/a/uid");
    long ends = slurm.addOwnJob("daskmpi.io/ns/b/uid");
    states.current(same);
    states.current(ends);
    states.poll(); // the first listing: everything is new

    slurm.set(ends, JobState.COMPLETED, ExitStatus.exited(0));
    clock.advance(POLL);

    assertThat(states.poll()).containsExactly(ends);
    assertThat(states.poll()).isEmpty();
  }
}
