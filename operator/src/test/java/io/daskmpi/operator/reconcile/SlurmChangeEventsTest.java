package io.daskmpi.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.config.EndpointConfig;
import io.daskmpi.operator.config.SlurmConnection;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.SlurmException;
import io.daskmpi.operator.submit.JobIdentity;
import io.daskmpi.operator.testing.FakeSlurm;
import io.daskmpi.operator.testing.ManualClock;
import io.daskmpi.operator.testing.TestEndpoints;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which resources a poll wakes: those whose jobs changed, and all of an endpoint's on an outage.
 */
class SlurmChangeEventsTest {
  private static final Duration POLL = Duration.ofSeconds(10);
  private static final ResourceID A = new ResourceID("a", "ns");
  private static final ResourceID B = new ResourceID("b", "ns");

  private final FakeSlurm slurm = new FakeSlurm();
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T10:00:00Z"));
  private final List<ResourceID> woken = new CopyOnWriteArrayList<>();
  private SlurmChangeEvents changes;
  private SlurmEndpoints endpoints;
  private EndpointConfig endpoint;
  private JobTracker tracker;
  private long jobA;
  private long jobB;

  @BeforeEach
  void twoFollowedJobs() {
    endpoint = TestEndpoints.fake("default");
    endpoints =
        new SlurmEndpoints(
            TestEndpoints.config(POLL, Duration.ofHours(1), endpoint), c -> slurm, clock);
    tracker = endpoints.tracker(connection());
    // The timer never fires within a test: each round is pollOnce().
    changes = new SlurmChangeEvents(endpoints, Duration.ofHours(1));
    changes.setEventHandler((Event e) -> woken.add(e.getRelatedCustomResourceID()));
    changes.start();
    jobA = slurm.addOwnJob("daskmpi.io/ns/a/uid");
    jobB = slurm.addOwnJob("daskmpi.io/ns/b/uid");
    observe(A, jobA);
    observe(B, jobB);
  }

  @AfterEach
  void stop() {
    changes.stop();
  }

  private void observe(ResourceID resource, long jobId) {
    tracker.observe(
        new JobIdentity(
            resource.getNamespace().orElseThrow(), resource.getName(), "uid", Instant.EPOCH),
        jobId,
        true);
    changes.follow(resource, "default", jobId);
  }

  private void nextPoll() {
    clock.advance(POLL);
    changes.pollOnce();
  }

  @Test
  void onlyTheResourceWhoseJobChangedIsWoken() {
    nextPoll();
    assertThat(woken).isEmpty();

    slurm.set(jobB, JobState.RUNNING, null);
    nextPoll();

    assertThat(woken).containsExactly(B);
  }

  @Test
  void aForgottenResourceIsNotWoken() {
    changes.forget(B);
    slurm.set(jobB, JobState.RUNNING, null);

    nextPoll();

    assertThat(woken).isEmpty();
    assertThat(changes.size()).isEqualTo(1);
  }

  @Test
  void anOutageWakesEveryResourceOnceAndTheRecoveryOnceMore() {
    slurm.setDown(true);
    nextPoll();
    nextPoll();
    assertThat(woken).containsExactlyInAnyOrder(A, B);

    slurm.setDown(false);
    nextPoll();
    nextPoll();
    assertThat(woken).containsExactlyInAnyOrder(A, B, A, B);
  }

  @Test
  void aNewConnectionToTheEndpointWakesItsResources() {
    nextPoll();
    endpoints.failed(connection(), tracker, new SlurmException.Unsupported("v0.0.45 gone"));
    endpoints.tracker(connection()); // a reconcile negotiates anew

    nextPoll();

    assertThat(woken).containsExactlyInAnyOrder(A, B);
  }

  /** The connection of the resources' namespace. */
  private SlurmConnection connection() {
    return endpoint.connection(A.getNamespace().orElseThrow()).orElseThrow();
  }
}
