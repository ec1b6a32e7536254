package io.daskmpi.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobSpec;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.JobCondition;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.config.EndpointConfig;
import io.daskmpi.operator.config.JobAccess;
import io.daskmpi.operator.config.OperatorConfig;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.SlurmException;
import io.daskmpi.operator.slurm.SlurmIdentity;
import io.daskmpi.operator.slurm.TokenSource;
import io.daskmpi.operator.submit.Examples;
import io.daskmpi.operator.submit.JobIdentity;
import io.daskmpi.operator.submit.RenderSettings;
import io.daskmpi.operator.testing.FakeSlurm;
import io.daskmpi.operator.testing.TestEndpoints;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The failure paths of one reconcile and of a deletion, against a fake Slurm (issue 9's holes). */
class JobDriverTest {
  private final FakeSlurm slurm = new FakeSlurm();
  private final JobIdentity id =
      new JobIdentity("team", "j", "uid-1", Instant.parse("2026-12-01T00:00:00Z"));
  private final DaskMpiJobSpec spec = Examples.load("dask-example-local.yaml").getSpec();
  private final List<DaskMpiJobStatus> recorded = new java.util.ArrayList<>();
  private final SubmitIntents intents = recorded::add;

  private JobDriver driver(String... endpointNames) {
    Map<String, EndpointConfig> endpoints = new java.util.HashMap<>();
    for (String name : endpointNames) {
      endpoints.put(name, endpoint(name, Set.of(), List.of()));
    }
    return driver(endpoints);
  }

  private static EndpointConfig endpoint(
      String name, Set<String> allowedNamespaces, List<String> allowedRoots) {
    EndpointConfig fake = TestEndpoints.fake(name);
    return new EndpointConfig(
        name,
        fake.url(),
        fake.defaultIdentity(),
        Map.of(),
        Optional.empty(),
        RenderSettings.DEFAULT_RUNTIME_COMMAND,
        allowedNamespaces,
        allowedRoots,
        JobAccess.NONE);
  }

  private JobDriver driver(Map<String, EndpointConfig> endpoints) {
    var config = new OperatorConfig(endpoints, Set.of(), Duration.ZERO, Duration.ofMinutes(5));
    return new JobDriver(
        new SlurmEndpoints(config, e -> slurm, Clock.systemUTC()), Clock.systemUTC());
  }

  private static Optional<JobCondition> condition(DaskMpiJobStatus s, String type) {
    return s.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst();
  }

  private DaskMpiJobStatus submitted(JobDriver driver) {
    DaskMpiJobStatus s = driver.reconcile(id, 1L, spec, null, intents);
    assertThat(s.getPhase()).isEqualTo(Phase.Submitted);
    return s;
  }

  @Test
  void theIntentIsStoredBeforeTheSubmitAndAFreshResourceCostsNoListing() {
    JobDriver driver = driver("default");
    SubmitIntents checking =
        status -> {
          assertThat(slurm.submissions()).as("nothing submitted before the intent").isEmpty();
          recorded.add(status);
        };

    DaskMpiJobStatus s = driver.reconcile(id, 1L, spec, null, checking);

    assertThat(s.getPhase()).isEqualTo(Phase.Submitted);
    assertThat(recorded)
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.getSubmitRequestedAt()).isNotNull();
              assertThat(i.getSlurm()).isNull();
            });
    assertThat(s.getSubmitRequestedAt()).isEqualTo(recorded.get(0).getSubmitRequestedAt());
    assertThat(slurm.listings()).isZero();
  }

  @Test
  void anEndpointClosedToTheNamespaceRefusesNamingSpecClusterAndSubmitsNothing() {
    JobDriver driver = driver(Map.of("default", endpoint("default", Set.of("other"), List.of())));

    DaskMpiJobStatus s = driver.reconcile(id, 1L, spec, null, intents);

    assertThat(s.getPhase()).isEqualTo(Phase.Failed);
    assertThat(s.getMessage())
        .contains("spec.cluster")
        .contains("endpoint 'default' is not open to namespace 'team'")
        .doesNotContain("other");
    assertThat(recorded).isEmpty();
    assertThat(slurm.submissions()).isEmpty();
  }

  @Test
  void aWorkingDirectoryOutsideTheNamespacesRootIsRefusedNamingTheField() {
    JobDriver driver =
        driver(Map.of("default", endpoint("default", Set.of(), List.of("/scratch/{namespace}"))));

    DaskMpiJobStatus s = driver.reconcile(id, 1L, spec, null, intents);

    assertThat(s.getPhase()).isEqualTo(Phase.Failed);
    assertThat(s.getMessage())
        .contains("spec.workingDirectory: '/home/daskjob' is outside")
        .contains("/scratch/team");
    assertThat(slurm.submissions()).isEmpty();
  }

  @Test
  void aJobSubmittedBeforeTheEndpointClosedIsStillFollowed() {
    DaskMpiJobStatus s = submitted(driver("default"));
    JobDriver closed = driver(Map.of("default", endpoint("default", Set.of("other"), List.of())));

    DaskMpiJobStatus next = closed.reconcile(id, 1L, spec, s, intents);

    assertThat(next.getPhase()).isNotEqualTo(Phase.Failed);
    assertThat(next.getSlurm().getJobId()).isEqualTo(s.getSlurm().getJobId());
  }

  @Test
  void eachNamespaceSubmitsAndCancelsThroughItsOwnUsersConnection() {
    Map<String, FakeSlurm> asUser = new java.util.concurrent.ConcurrentHashMap<>();
    EndpointConfig mapped =
        new EndpointConfig(
            "default",
            URI.create("http://fake"),
            Optional.empty(),
            Map.of(
                "team", new SlurmIdentity("alice", new TokenSource.File(Path.of("/dev/null"))),
                "lab", new SlurmIdentity("bob", new TokenSource.File(Path.of("/dev/null")))),
            Optional.empty(),
            RenderSettings.DEFAULT_RUNTIME_COMMAND,
            Set.of(),
            List.of(),
            JobAccess.NONE);
    JobDriver driver =
        new JobDriver(
            new SlurmEndpoints(
                TestEndpoints.config(Duration.ZERO, Duration.ofMinutes(5), mapped),
                c -> asUser.computeIfAbsent(c.identity().user(), FakeSlurm::new),
                Clock.systemUTC()),
            Clock.systemUTC());
    JobIdentity lab = new JobIdentity("lab", "j", "uid-2", id.created());
    JobIdentity other = new JobIdentity("other", "j", "uid-3", id.created());

    DaskMpiJobStatus team = driver.reconcile(id, 1L, spec, null, intents);
    DaskMpiJobStatus labs = driver.reconcile(lab, 1L, spec, null, intents);
    DaskMpiJobStatus refused = driver.reconcile(other, 1L, spec, null, intents);

    assertThat(asUser.get("alice").submissions())
        .singleElement()
        .satisfies(s -> assertThat(s.comment()).isEqualTo(id.tag()));
    assertThat(asUser.get("bob").submissions())
        .singleElement()
        .satisfies(s -> assertThat(s.comment()).isEqualTo(lab.tag()));
    assertThat(refused.getPhase()).isEqualTo(Phase.Failed);
    assertThat(refused.getMessage())
        .contains("spec.cluster")
        .contains("not open to namespace 'other'");
    assertThat(asUser).containsOnlyKeys("alice", "bob");

    // A job of alice carrying lab's tag, seen through bob's connection, and lab's status naming
    // it: lab's deletion cancels nothing of alice's, however the tag and the id line up.
    FakeSlurm bobsView = asUser.get("bob");
    long planted = bobsView.addJob(lab.tag(), "alice");
    labs.getSlurm().setJobId(planted);
    assertThat(driver.cancel(lab, spec, labs)).isEqualTo(new Deletion.Done(List.of()));
    assertThat(bobsView.job(planted).state()).isEqualTo(JobState.PENDING);
  }

  @Test
  void anIntentThatCannotBeStoredSubmitsNothing() {
    JobDriver driver = driver("default");
    SubmitIntents conflict =
        status -> {
          throw new IllegalStateException("409 Conflict: the object has been modified");
        };

    assertThatThrownBy(() -> driver.reconcile(id, 1L, spec, null, conflict))
        .hasMessageContaining("409");
    assertThat(slurm.submissions()).isEmpty();
  }

  @Test
  void deletionAfterACrashBetweenSubmitAndStatusWriteCancelsTheJobFoundByItsTag() {
    long jobId = submitted(driver("default")).getSlurm().getJobId();
    // The operator died after the submit: what is stored is the intent, without the job id.
    DaskMpiJobStatus intent = recorded.get(0);
    Deletion d = driver("default").cancel(id, spec, intent);
    assertThat(d).isEqualTo(new Deletion.Done(List.of(jobId)));
    assertThat(slurm.job(jobId).state()).isEqualTo(JobState.CANCELLED);
  }

  @Test
  void deletionOfAResourceWithoutAnIntentAsksSlurmNothing() {
    slurm.addForeignJob(id.tag()); // not ours to cancel: no submit was ever intended for it
    assertThat(driver("default").cancel(id, spec, null)).isEqualTo(new Deletion.Done(List.of()));
    assertThat(slurm.listings()).isZero();
    assertThat(slurm.gets()).isZero();
  }

  @Test
  void aCancelNeverTouchesAJobThatCarriesAnotherTag() {
    JobDriver driver = driver("default");
    long foreign = slurm.addForeignJob("daskmpi.io/other/x/uid-9");
    // The status names an id that now belongs to someone else (ids wrap and get reused).
    DaskMpiJobStatus stale = JobStateMachineTest.status(Phase.Running, foreign);
    Deletion d = driver.cancel(id, spec, stale);
    assertThat(d).isEqualTo(new Deletion.Done(List.of()));
    assertThat(slurm.job(foreign).state()).isEqualTo(JobState.PENDING);
  }

  @Test
  void aDeletionWhileSlurmIsDownWaitsInsteadOfThrowing() {
    JobDriver driver = driver("default");
    DaskMpiJobStatus s = submitted(driver);
    slurm.setDown(true);
    assertThat(driver.cancel(id, spec, s))
        .isInstanceOfSatisfying(
            Deletion.Blocked.class, b -> assertThat(b.reason()).contains("down"));
    slurm.setDown(false);
    assertThat(driver.cancel(id, spec, s))
        .isEqualTo(new Deletion.Done(List.of(s.getSlurm().getJobId())));
  }

  @Test
  void anEndpointMissingFromTheConfigurationIsAVisibleNonFinalCondition() {
    DaskMpiJobStatus s = submitted(driver("default"));
    // A Helm upgrade renamed the endpoint: the job still runs, nothing is known about it.
    JobDriver renamed = driver("hpc");
    DaskMpiJobStatus next = renamed.reconcile(id, 1L, spec, s, intents);
    assertThat(next.getPhase()).isEqualTo(Phase.Submitted);
    assertThat(condition(next, "SlurmReachable").orElseThrow())
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"))
        .satisfies(c -> assertThat(c.getReason()).isEqualTo("UnknownEndpoint"))
        .satisfies(c -> assertThat(c.getMessage()).contains("'default'").contains("hpc"));
    // ... and its deletion waits for the endpoint to come back.
    assertThat(renamed.cancel(id, spec, s)).isInstanceOf(Deletion.Blocked.class);
  }

  @Test
  void aResourceNamingAnUnknownEndpointWaitsPendingAndGoesWithoutACancel() {
    JobDriver driver = driver("default");
    DaskMpiJobSpec elsewhere = Examples.load("dask-example-local.yaml").getSpec();
    elsewhere.setCluster("nowhere");
    DaskMpiJobStatus s = driver.reconcile(id, 1L, elsewhere, null, intents);
    assertThat(s.getPhase()).isEqualTo(Phase.Pending);
    assertThat(s.getMessage()).contains("no Slurm endpoint named 'nowhere'");
    assertThat(slurm.submissions()).isEmpty();
    assertThat(driver.cancel(id, elsewhere, s)).isEqualTo(new Deletion.Done(List.of()));
  }

  @Test
  void aSubmitWhoseAnswerIsGarbledIsFoundByItsTagNotFailed() {
    JobDriver driver = driver("default");
    slurm.loseNextSubmitAnswer(new SlurmException.Protocol("unexpected JSON", 200, null));
    DaskMpiJobStatus s = driver.reconcile(id, 1L, spec, null, intents);
    assertThat(s.getPhase()).isEqualTo(Phase.Pending);
    assertThat(condition(s, "SlurmReachable").orElseThrow().getMessage())
        .contains("submit outcome unknown");
    assertThat(s.getSubmitRequestedAt()).isNotNull();
    DaskMpiJobStatus next = driver.reconcile(id, 1L, spec, s, intents);
    assertThat(next.getPhase()).isEqualTo(Phase.Queued);
    assertThat(slurm.submissions()).hasSize(1);
    assertThat(slurm.listings()).as("the unknown outcome is looked up by tag").isEqualTo(1);
  }

  @Test
  void aSubmitThatTimedOutAfterSlurmTookItRunsOnce() {
    JobDriver driver = driver("default");
    slurm.loseNextSubmitAnswer(
        new SlurmException.Unavailable("read timed out", 0, List.of(), null));
    DaskMpiJobStatus s = driver.reconcile(id, 1L, spec, null, intents);
    assertThat(s.getPhase()).isEqualTo(Phase.Pending);
    assertThat(driver.reconcile(id, 1L, spec, s, intents).getPhase()).isEqualTo(Phase.Queued);
    assertThat(slurm.submissions()).hasSize(1);
  }

  @Test
  void aSpecEditedAfterTheSubmitIsReportedNotClaimedObserved() {
    JobDriver driver = driver("default");
    DaskMpiJobStatus s = submitted(driver);
    DaskMpiJobSpec edited = Examples.load("dask-example-local.yaml").getSpec();
    edited.setWorkers(5);
    DaskMpiJobStatus next = driver.reconcile(id, 2L, edited, s, intents);
    assertThat(next.getObservedGeneration()).isEqualTo(1L);
    assertThat(next.getConditions())
        .filteredOn(c -> !c.getType().equals("SpecApplied"))
        .allMatch(c -> c.getObservedGeneration() == 1L);
    assertThat(condition(next, "SpecApplied").orElseThrow())
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"))
        .satisfies(c -> assertThat(c.getReason()).isEqualTo("ChangedAfterSubmit"))
        .satisfies(c -> assertThat(c.getObservedGeneration()).isEqualTo(2L))
        .satisfies(c -> assertThat(c.getMessage()).contains("spec.timeLimit"));
    assertThat(slurm.updates()).isEmpty();
    // No edit, no such condition.
    assertThat(condition(driver.reconcile(id, 1L, spec, s, intents), "SpecApplied")).isEmpty();
  }
}
