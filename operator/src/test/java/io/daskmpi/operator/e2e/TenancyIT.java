package io.daskmpi.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobSpec;
import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.config.EndpointConfig;
import io.daskmpi.operator.config.JobAccess;
import io.daskmpi.operator.reconcile.Deletion;
import io.daskmpi.operator.reconcile.JobDriver;
import io.daskmpi.operator.reconcile.SlurmEndpoints;
import io.daskmpi.operator.reconcile.SubmitIntents;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.JobSubmission;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.SlurmEndpoint;
import io.daskmpi.operator.slurm.SlurmException;
import io.daskmpi.operator.slurm.SlurmIdentity;
import io.daskmpi.operator.slurm.TokenSource;
import io.daskmpi.operator.slurm.http.MintedToken;
import io.daskmpi.operator.slurm.rest.SlurmClients;
import io.daskmpi.operator.submit.Examples;
import io.daskmpi.operator.submit.JobIdentity;
import io.daskmpi.operator.submit.RenderSettings;
import io.daskmpi.operator.testing.DrivenResource;
import io.daskmpi.operator.testing.LocalSlurm;
import io.daskmpi.operator.testing.ManualClock;
import io.daskmpi.operator.testing.TestEndpoints;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two namespaces mapped to two Unix users on the real local Slurm (every version): each one's job
 * runs as its user, and neither namespace can see, adopt or cancel the other's job. The second
 * user's token is minted by the operator from the cluster's signing key.
 */
class TenancyIT {
  private static final Duration LIMIT = Duration.ofMinutes(3);
  private static final String TEAM = "team";
  private static final String PEER = "peer";

  static List<String> versions() {
    return LocalSlurm.versions();
  }

  private record Cluster(LocalSlurm slurm, JobDriver driver, String peerUser) {}

  private static Cluster cluster(String version) {
    LocalSlurm slurm = LocalSlurm.of(version);
    LocalSlurm.installRuntime();
    String peer = slurm.require("DASKMPI_SLURM_PEER_USER");
    EndpointConfig endpoint =
        new EndpointConfig(
            "default",
            URI.create(slurm.require("DASKMPI_SLURM_URL")),
            Optional.empty(),
            Map.of(
                TEAM,
                new SlurmIdentity(slurm.user(), new TokenSource.File(slurm.tokenFile())),
                PEER,
                new SlurmIdentity(peer, signingKey(slurm, Duration.ofMinutes(5)))),
            Optional.empty(),
            List.of(slurm.require("DASKMPI_RUNTIME_COMMAND").split(" ")),
            Set.of(),
            List.of("/home/{user}"),
            JobAccess.NONE);
    JobDriver driver =
        new JobDriver(
            new SlurmEndpoints(
                TestEndpoints.config(Duration.ofMillis(200), Duration.ofMinutes(5), endpoint),
                c -> SlurmClients.connect(c.slurmEndpoint()),
                Clock.systemUTC()),
            Clock.systemUTC());
    return new Cluster(slurm, driver, peer);
  }

  private static TokenSource.SigningKey signingKey(LocalSlurm slurm, Duration lifetime) {
    return new TokenSource.SigningKey(
        Path.of(slurm.require("DASKMPI_SLURM_JWT_KEY_FILE")), lifetime);
  }

  /** A job that prints the user it runs as, in that user's home. */
  private static DaskMpiJobSpec whoAmI(String home) {
    DaskMpiJobSpec spec = Examples.load("dask-example-local.yaml").getSpec();
    spec.setWorkingDirectory(home);
    spec.setWorkers(1);
    spec.setInlineScript(
        """
        import getpass
        import dask_mpi
        from distributed import Client

        dask_mpi.initialize()
        with Client() as client:
            print("runs as:", getpass.getuser(), client.submit(lambda: 6 * 7).result())
        """);
    return spec;
  }

  private static JobIdentity identity(String namespace) {
    return new JobIdentity(namespace, "whoami", UUID.randomUUID().toString(), Instant.now());
  }

  private static DaskMpiJobStatus until(
      JobDriver driver, JobIdentity id, DaskMpiJobSpec spec, Phase... phases) {
    return new DrivenResource(driver, id, spec).untilPhase(phases);
  }

  @ParameterizedTest(name = "Slurm {0}")
  @MethodSource("versions")
  void eachNamespaceRunsAsItsUserAndCannotReachTheOthersJob(String version) throws Exception {
    Cluster c = cluster(version);
    String teamHome = c.slurm().workDir();
    String peerHome = c.slurm().require("DASKMPI_SLURM_PEER_WORKDIR");
    JobIdentity team = identity(TEAM);
    JobIdentity peer = identity(PEER);

    DaskMpiJobStatus teamDone = until(c.driver(), team, whoAmI(teamHome), Phase.Succeeded);
    DaskMpiJobStatus peerDone = until(c.driver(), peer, whoAmI(peerHome), Phase.Succeeded);

    for (var run :
        List.of(Map.entry(teamDone, c.slurm().user()), Map.entry(peerDone, c.peerUser()))) {
      DaskMpiJobStatus s = run.getKey();
      assertThat(s.getPhase()).as(s.getMessage()).isEqualTo(Phase.Succeeded);
      Path output = Path.of(s.getSlurm().getOutputFile());
      assertThat(Files.readString(output)).contains("runs as: " + run.getValue() + " 42");
      assertThat(Files.getOwner(output).getName()).isEqualTo(run.getValue());
    }

    // The peer's resource, its status edited to name the team's job: it does not show that job.
    DaskMpiJobStatus forged = peerDone;
    forged.setPhase(Phase.Running);
    forged.getSlurm().setJobId(teamDone.getSlurm().getJobId());
    DaskMpiJobStatus seen =
        c.driver().reconcile(peer, 1L, whoAmI(peerHome), forged, SubmitIntents.IN_MEMORY);
    assertThat(seen.getPhase()).isNotEqualTo(Phase.Succeeded).isNotEqualTo(Phase.Running);
    assertThat(seen.getSlurm().getOutputFile()).isNotEqualTo(teamDone.getSlurm().getOutputFile());
  }

  @ParameterizedTest(name = "Slurm {0}")
  @MethodSource("versions")
  void aScriptReachedThroughASymlinkOutOfTheUsersRootEndsTheJobNamingTheField(String version)
      throws Exception {
    Cluster c = cluster(version);
    Path peerHome = Path.of(c.slurm().require("DASKMPI_SLURM_PEER_WORKDIR"));
    Path link = peerHome.resolve("elsewhere-" + UUID.randomUUID());
    // As written, link/run.py lies under /home/daskpeer; on the filesystem it is the other
    // user's home.
    Files.createSymbolicLink(link, Path.of(c.slurm().workDir()));
    try {
      DaskMpiJobSpec spec = whoAmI(peerHome.toString());
      spec.setInlineScript(null);
      spec.setScript(peerHome.relativize(link).resolve("run.py").toString());
      DaskMpiJobStatus done = until(c.driver(), identity(PEER), spec, Phase.Failed);

      assertThat(done.getPhase()).as(done.getMessage()).isEqualTo(Phase.Failed);
      assertThat(Files.readString(Path.of(done.getSlurm().getOutputFile())))
          .contains("dask-mpi-operator: spec.script")
          .contains("resolves to '" + c.slurm().workDir() + "/run.py'")
          .doesNotContain("runs as:");
    } finally {
      Files.delete(link);
    }
  }

  @ParameterizedTest(name = "Slurm {0}")
  @MethodSource("versions")
  void aJobPlantedWithAnotherNamespacesTagIsNeitherAdoptedNorCancellable(String version)
      throws Exception {
    Cluster c = cluster(version);
    LocalSlurm slurm = c.slurm();
    SlurmClient teamClient = SlurmClients.connect(slurm.endpoint());
    SlurmClient peerClient =
        SlurmClients.connect(
            new SlurmEndpoint(
                slurm.endpoint().url(),
                c.peerUser(),
                signingKey(slurm, Duration.ofMinutes(5)),
                Optional.empty(),
                SlurmEndpoint.DEFAULT_TIMEOUT));
    JobIdentity peer = identity(PEER);
    // The team's user plants a long job carrying the peer resource's tag.
    long planted =
        teamClient
            .submit(
                JobSubmission.builder("planted", "#!/bin/bash\nsleep 300\n", 1, slurm.workDir())
                    .comment(peer.tag())
                    .env(Map.of("PATH", RenderSettings.DEFAULT_PATH))
                    .timeLimitMinutes(5)
                    .build())
            .jobId();
    try {
      // The peer resource's submit outcome is unknown (an intent, no id): the tag lookup finds
      // the planted job, which is not the peer user's, so it submits its own.
      DaskMpiJobStatus intent = new DaskMpiJobStatus();
      intent.setSubmitRequestedAt(Instant.now().toString());
      DaskMpiJobStatus own =
          c.driver()
              .reconcile(
                  peer,
                  1L,
                  whoAmI(slurm.require("DASKMPI_SLURM_PEER_WORKDIR")),
                  intent,
                  SubmitIntents.IN_MEMORY);
      assertThat(own.getSlurm().getJobId()).isNotNull().isNotEqualTo(planted);
      assertThat(peerClient.get(own.getSlurm().getJobId()).orElseThrow().userName())
          .isEqualTo(c.peerUser());

      // Deleting the peer resource cancels its own job, never the planted one.
      Deletion deletion = c.driver().cancel(peer, null, own);
      assertThat(deletion).isEqualTo(new Deletion.Done(List.of(own.getSlurm().getJobId())));
      // Nor can the peer's user cancel it directly: Slurm refuses.
      assertThatThrownBy(() -> peerClient.cancel(planted)).isInstanceOf(SlurmException.class);
      assertThat(teamClient.get(planted).orElseThrow().state())
          .isIn(JobState.PENDING, JobState.RUNNING);
    } finally {
      teamClient.cancel(planted);
    }
  }

  @ParameterizedTest(name = "Slurm {0}")
  @MethodSource("versions")
  void aMintedTokenIsAcceptedAnExpiredOneIsNotAndARenewedOneIsAgain(String version)
      throws Exception {
    LocalSlurm slurm = LocalSlurm.of(version);
    String user = slurm.require("DASKMPI_SLURM_PEER_USER");
    Path key = Path.of(slurm.require("DASKMPI_SLURM_JWT_KEY_FILE"));
    // A clock two minutes behind: its one-minute token has expired by real time.
    ManualClock clock = new ManualClock(Instant.now().minus(Duration.ofMinutes(2)));
    MintedToken tokens = new MintedToken(key, user, Duration.ofMinutes(1), clock);

    String expired = tokens.get();
    assertThat(accepted(slurm, user, expired)).as("an expired token").isFalse();

    clock.advance(Duration.ofMinutes(2));
    String renewed = tokens.get();
    assertThat(renewed).isNotEqualTo(expired);
    assertThat(accepted(slurm, user, renewed)).as("the renewed token").isTrue();
    assertThat(accepted(slurm, slurm.user(), renewed))
        .as("the token names its user: another user name with it is refused")
        .isFalse();
  }

  /** Whether slurmrestd takes the token for the user ({@link SlurmClient#checkAccess()}). */
  private static boolean accepted(LocalSlurm slurm, String user, String token) throws Exception {
    Path file = Files.createTempFile("token", "");
    try {
      Files.writeString(file, token);
      SlurmEndpoint endpoint = new SlurmEndpoint(slurm.endpoint().url(), user, file);
      SlurmClients.connect(
              endpoint.withApiVersion(SlurmClients.connect(slurm.endpoint()).apiVersion()))
          .checkAccess();
      return true;
    } catch (SlurmException.Auth e) {
      return false;
    } finally {
      Files.delete(file);
    }
  }
}
