package io.daskmpi.operator.slurm.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.slurm.ApiVersion;
import io.daskmpi.operator.slurm.ExitStatus;
import io.daskmpi.operator.slurm.Fixture;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.JobUpdate;
import io.daskmpi.operator.slurm.SlurmJob;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Decodes real slurmrestd captures of every REST API version into the neutral records. */
class DialectFixtureTest {
  private static final String V38 = "22.05";

  /** Every capture directory of a data_parser version (v0.0.40 to v0.0.45). */
  static Stream<String> dataParserVersions() {
    return Stream.of(
        "24.11/v0.0.40",
        "24.11/v0.0.41",
        "24.11/v0.0.42",
        "26.05/v0.0.42",
        "26.05/v0.0.43",
        "26.05/v0.0.44",
        "26.05/v0.0.45");
  }

  private static Dialect dialectFor(String location) {
    String label =
        location.contains("/") ? location.substring(location.indexOf('/') + 1) : "v0.0.38";
    return SlurmClients.dialect(ApiVersion.parse(label).orElseThrow());
  }

  private static SlurmJob onlyJob(String location, String name) {
    var jobs = dialectFor(location).readJobs(Fixture.load(location, name)).jobs();
    assertThat(jobs).hasSize(1);
    return jobs.get(0);
  }

  @ParameterizedTest
  @MethodSource("dataParserVersions")
  void failedJobCarriesItsExitCode(String location) {
    SlurmJob job = onlyJob(location, "job-failed");
    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(job.reason()).isEqualTo("NonZeroExitCode");
    assertThat(job.exit()).isEqualTo(ExitStatus.exited(3));
    assertThat(job.isFinished()).isTrue();
    assertThat(job.endTime()).isNotNull().isAfterOrEqualTo(job.startTime());
    assertThat(job.standardOutput()).doesNotContain("%").endsWith("-" + job.id() + ".out");
  }

  @ParameterizedTest
  @MethodSource("dataParserVersions")
  void cancelledJobCarriesTheSignal(String location) {
    SlurmJob job = onlyJob(location, "job-cancelled");
    assertThat(job.state()).isEqualTo(JobState.CANCELLED);
    assertThat(job.exit()).isEqualTo(ExitStatus.signaled(15));
  }

  @ParameterizedTest
  @MethodSource("dataParserVersions")
  void runningJobHasNoEndAndNoExitYet(String location) {
    SlurmJob job = onlyJob(location, "job-running");
    assertThat(job.state()).isEqualTo(JobState.RUNNING);
    assertThat(job.startTime()).isNotNull();
    assertThat(job.endTime()).as("the expected end is no fact").isNull();
    assertThat(job.exit()).isNull();
    assertThat(job.nodes()).isEqualTo("vm");
    assertThat(job.batchHost()).isEqualTo("vm");
  }

  @ParameterizedTest
  @MethodSource("dataParserVersions")
  void heldJobIsPendingWithItsReason(String location) {
    SlurmJob job = onlyJob(location, "job-held");
    assertThat(job.state()).isEqualTo(JobState.PENDING);
    assertThat(job.reason()).isEqualTo("JobHeldUser");
    assertThat(job.startTime()).isNull();
  }

  @ParameterizedTest
  @MethodSource("dataParserVersions")
  void aJobCarriesTheQueueSettingsItsOwnerMayChange(String location) {
    SlurmJob job = onlyJob(location, "job-held");
    assertThat(job.queue().partition()).isEqualTo("debug");
    assertThat(job.queue().timeLimitMinutes()).isEqualTo(5);
    assertThat(job.isHeld()).isTrue();
  }

  @ParameterizedTest
  @MethodSource("dataParserVersions")
  void anUpdateSendsOnlyWhatChangesWithTheTimeLimitAsANoValNumber(String location) {
    String body =
        new String(
            dialectFor(location).updateBody(new JobUpdate(false, 7, "long", null, null, null)),
            StandardCharsets.UTF_8);
    assertThat(body)
        .isEqualTo(
            "{\"hold\":false,\"time_limit\":{\"set\":true,\"infinite\":false,\"number\":7},"
                + "\"partition\":\"long\"}");
  }

  @Test
  void v0038UpdatesTheTimeLimitAsPlainMinutes() {
    String body =
        new String(
            dialectFor(V38).updateBody(new JobUpdate(true, 7, null, null, null, null)),
            StandardCharsets.UTF_8);
    assertThat(body).isEqualTo("{\"hold\":true,\"time_limit\":7}");
  }

  @ParameterizedTest
  @MethodSource("dataParserVersions")
  void submitOkHasAJobId(String location) {
    var submitted = dialectFor(location).readSubmit(Fixture.load(location, "submit-ok"));
    assertThat(submitted.jobId()).isPositive();
    assertThat(submitted.envelope().errors()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("dataParserVersions")
  void heldSubmitHasAJobIdAndAWarning(String location) {
    var submitted = dialectFor(location).readSubmit(Fixture.load(location, "submit-held"));
    assertThat(submitted.jobId()).isPositive();
    assertThat(submitted.envelope().warnings()).isNotEmpty();
  }

  @ParameterizedTest
  @MethodSource("dataParserVersions")
  void wronglyTypedSubmitIs200WithoutJob(String location) {
    var reply = Fixture.load(location, "submit-badpayload");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(dialectFor(location).readSubmit(reply).jobId()).isNull();
  }

  @ParameterizedTest
  @MethodSource("dataParserVersions")
  void noChangeIsAnEmptyListWithoutLastUpdate(String location) {
    var jobs =
        dialectFor(location).readJobs(Fixture.load(location, "jobs-list-update-time-iso-now"));
    assertThat(jobs.jobs()).isEmpty();
    assertThat(jobs.lastUpdate()).isNull();
    assertThat(jobs.envelope().warnings()).anyMatch(w -> w.text().contains("No job changes"));
  }

  @ParameterizedTest
  @MethodSource("dataParserVersions")
  void listingCarriesLastUpdate(String location) {
    var jobs = dialectFor(location).readJobs(Fixture.load(location, "jobs-list"));
    assertThat(jobs.jobs()).isNotEmpty();
    assertThat(jobs.lastUpdate()).isNotNull();
  }

  @ParameterizedTest
  @MethodSource("dataParserVersions")
  void pingSaysUpAndNamesTheRelease(String location) {
    var ping = dialectFor(location).readPing(Fixture.load(location, "ping"));
    assertThat(ping.responding()).isTrue();
    assertThat(ping.release()).startsWith(location.substring(0, 5));
  }

  @ParameterizedTest
  @MethodSource("dataParserVersions")
  void pingWithBadTokenSaysDownDespite200(String location) {
    var reply = Fixture.load(location, "auth-bad");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(dialectFor(location).readPing(reply).responding()).isFalse();
  }

  @Test
  void cancelOfUnknownJobIsReportedInStatusFromV0042() {
    var v42 =
        dialectFor("26.05/v0.0.42")
            .readCancel(Fixture.load("26.05/v0.0.42", "job-notfound-delete"));
    assertThat(v42.errors()).singleElement().satisfies(p -> assertThat(p.number()).isEqualTo(2017));
    var v40 =
        dialectFor("24.11/v0.0.40")
            .readCancel(Fixture.load("24.11/v0.0.40", "job-notfound-delete"));
    assertThat(v40.errors()).as("v0.0.40 does not say").isEmpty();
  }

  @ParameterizedTest
  @MethodSource("dataParserVersions")
  void cancellingAFinishedJobAgainIsNoError(String location) {
    var reply = Fixture.load(location, "job-cancel-again-delete");
    assertThat(dialectFor(location).readCancel(reply).errors()).isEmpty();
  }

  // --- v0.0.38 (Slurm 22.05) ---

  @Test
  void v38FailedJobDecodesTheWaitStatus() {
    SlurmJob job = onlyJob(V38, "job-failed");
    assertThat(job.state()).isEqualTo(JobState.FAILED);
    assertThat(job.exit()).isEqualTo(ExitStatus.exited(3));
    assertThat(job.standardOutput())
        .isEqualTo("/home/alice/jobs/submit-failed-" + job.id() + ".out");
  }

  @Test
  void v38SignalledJobs() {
    assertThat(onlyJob(V38, "job-failed-signal").exit()).isEqualTo(ExitStatus.signaled(9));
    assertThat(onlyJob(V38, "job-cancelled").exit()).isEqualTo(ExitStatus.signaled(15));
    SlurmJob timeout = onlyJob(V38, "job-timeout");
    assertThat(timeout.state()).isEqualTo(JobState.TIMEOUT);
    assertThat(timeout.exit()).isEqualTo(ExitStatus.exited(143));
  }

  @Test
  void v38CompletingIsRunningWithAFlagAndNotFinished() {
    SlurmJob job = onlyJob(V38, "job-completing");
    assertThat(job.state()).isEqualTo(JobState.RUNNING);
    assertThat(job.flags()).containsExactly(SlurmJob.COMPLETING);
    assertThat(job.isFinished()).isFalse();
  }

  @Test
  void v38PendingAndSuspended() {
    SlurmJob pending = onlyJob(V38, "job-pending");
    assertThat(pending.state()).isEqualTo(JobState.PENDING);
    assertThat(pending.startTime()).as("an estimate is no fact").isNull();
    assertThat(pending.nodes()).isEmpty();
    assertThat(onlyJob(V38, "job-suspended").state()).isEqualTo(JobState.SUSPENDED);
  }

  @Test
  void v38HeldSubmitHasJobIdWithAnErrorThatIsAWarning() {
    var submitted = dialectFor(V38).readSubmit(Fixture.load(V38, "submit-held"));
    assertThat(submitted.jobId()).isEqualTo(65);
    assertThat(submitted.envelope().errors())
        .singleElement()
        .satisfies(p -> assertThat(p.number()).isEqualTo(2042));
  }

  @Test
  void v38Ping() {
    var ping = dialectFor(V38).readPing(Fixture.load(V38, "ping"));
    assertThat(ping.responding()).isTrue();
    assertThat(ping.release()).isEqualTo("22.05.8");
  }

  @Test
  void v38ListingHasNoLastUpdate() {
    var jobs = dialectFor(V38).readJobs(Fixture.load(V38, "jobs-list-final"));
    assertThat(jobs.jobs()).hasSize(65);
    assertThat(jobs.lastUpdate()).isNull();
  }
}
