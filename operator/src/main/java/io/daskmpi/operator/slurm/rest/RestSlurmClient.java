package io.daskmpi.operator.slurm.rest;

import io.daskmpi.operator.slurm.ApiVersion;
import io.daskmpi.operator.slurm.ClusterInfo;
import io.daskmpi.operator.slurm.JobListing;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.JobSubmission;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.slurm.SlurmException;
import io.daskmpi.operator.slurm.SlurmJob;
import io.daskmpi.operator.slurm.SubmitResult;
import io.daskmpi.operator.slurm.http.Envelope;
import io.daskmpi.operator.slurm.http.HttpReply;
import io.daskmpi.operator.slurm.http.JsonCodec;
import io.daskmpi.operator.slurm.http.Problem;
import io.daskmpi.operator.slurm.http.SlurmErrors;
import io.daskmpi.operator.slurm.http.SlurmHttp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link SlurmClient} over slurmrestd: the shared request flow, with a {@link Dialect} per version.
 */
public final class RestSlurmClient implements SlurmClient {
  /**
   * v0.0.38 reports no "as of" time, so the next poll's time comes from our clock; step back a
   * little so that a slurmctld clock running behind ours does not hide a change.
   */
  static final Duration CLOCK_SKEW_MARGIN = Duration.ofSeconds(5);

  /**
   * Of several records of one job, the latest run: a requeued run's record (state REQUEUED, read as
   * UNKNOWN) loses to a real end, then the later submission and start win.
   */
  private static final Comparator<SlurmJob> LATEST_RUN =
      Comparator.comparing((SlurmJob j) -> j.state() != JobState.UNKNOWN)
          .thenComparing(j -> j.submitTime() == null ? Instant.EPOCH : j.submitTime())
          .thenComparing(j -> j.startTime() == null ? Instant.EPOCH : j.startTime());

  /** ESLURM_REST_EMPTY_RESULT. */
  private static final int NOTHING_FOUND = 9003;

  private final SlurmHttp http;
  private final Dialect dialect;
  private final JsonCodec json;
  private final List<String> offeredVersions;
  private final boolean history;
  private final Clock clock;

  /**
   * @param history whether the server serves slurmdbd's records in the dialect's version
   */
  public RestSlurmClient(
      SlurmHttp http,
      Dialect dialect,
      JsonCodec json,
      List<String> offeredVersions,
      boolean history,
      Clock clock) {
    this.http = http;
    this.dialect = dialect;
    this.json = json;
    this.offeredVersions = List.copyOf(offeredVersions);
    this.history = history;
    this.clock = clock;
  }

  @Override
  public ApiVersion apiVersion() {
    return dialect.version();
  }

  @Override
  public ClusterInfo ping() {
    HttpReply reply = http.get(dialect.prefix() + "/ping/", Map.of());
    requireSuccess("ping", reply);
    Dialect.Ping ping = dialect.readPing(reply);
    return new ClusterInfo(
        ping.release(), dialect.version(), offeredVersions, ping.responding(), history);
  }

  @Override
  public void checkAccess() {
    // A changed-since query still makes slurmctld check the token, and costs almost nothing.
    listChangedSince(clock.instant());
  }

  @Override
  public SubmitResult submit(JobSubmission submission) {
    HttpReply reply = http.post(dialect.prefix() + "/job/submit", dialect.submitBody(submission));
    if (!reply.isSuccess()) {
      throw SlurmErrors.classify("submit job", reply, json.readEnvelope(reply));
    }
    Dialect.Submitted submitted = dialect.readSubmit(reply);
    Envelope envelope = submitted.envelope();
    if (submitted.jobId() == null || submitted.jobId() <= 0) {
      // 24.11+ answer a wrongly typed field with 200, no job and no error: only warnings tell why.
      if (envelope.errors().isEmpty()) {
        throw new SlurmException.Rejected(
            "submit job failed: slurmrestd created no job"
                + (envelope.warnings().isEmpty() ? "" : ": " + texts(envelope.warnings())),
            reply.status(),
            List.of());
      }
      throw SlurmErrors.classify("submit job", reply, envelope);
    }
    // With a job id, errors[] are warnings: the job is held, or waits for a partition (2042, 2015).
    List<String> warnings = new ArrayList<>();
    envelope.errors().forEach(p -> warnings.add(p.text()));
    envelope.warnings().forEach(p -> warnings.add(p.text()));
    return new SubmitResult(submitted.jobId(), warnings);
  }

  @Override
  public Optional<SlurmJob> get(long jobId) {
    HttpReply reply = http.get(dialect.prefix() + "/job/" + jobId, Map.of());
    try {
      requireSuccess("get job " + jobId, reply);
      Dialect.Jobs jobs = dialect.readJobs(reply);
      requireNoErrors("get job " + jobId, reply, jobs.envelope());
      return jobs.jobs().stream().filter(j -> j.id() == jobId).findFirst();
    } catch (SlurmException.NotFound e) {
      return Optional.empty();
    }
  }

  @Override
  public JobListing listChangedSince(Instant since) {
    Instant requested = clock.instant();
    // "Since the beginning" is a plain listing: some versions refuse update_time=uts0.
    Map<String, String> query =
        since.getEpochSecond() <= 0 ? Map.of() : Map.of("update_time", dialect.updateTime(since));
    HttpReply reply = http.get(dialect.prefix() + "/jobs/", query);
    if (reply.status() == 304) {
      return JobListing.noChange(since);
    }
    requireSuccess("list jobs", reply);
    Dialect.Jobs jobs = dialect.readJobs(reply);
    requireNoErrors("list jobs", reply, jobs.envelope());
    if (jobs.jobs().isEmpty() && jobs.lastUpdate() == null) {
      return JobListing.noChange(since);
    }
    Instant asOf =
        jobs.lastUpdate() != null ? jobs.lastUpdate() : requested.minus(CLOCK_SKEW_MARGIN);
    // slurmctld answers with every job it holds once anything changed: keep what may have changed.
    List<SlurmJob> changed =
        jobs.jobs().stream()
            .filter(j -> !j.isFinished() || !j.lastEventTime().isBefore(since))
            .toList();
    return new JobListing(false, changed, asOf);
  }

  @Override
  public List<SlurmJob> findByTag(String tag) {
    HttpReply reply = http.get(dialect.prefix() + "/jobs/", Map.of());
    requireSuccess("list jobs", reply);
    Dialect.Jobs jobs = dialect.readJobs(reply);
    requireNoErrors("list jobs", reply, jobs.envelope());
    return jobs.jobs().stream().filter(j -> j.comment().equals(tag)).toList();
  }

  @Override
  public boolean hasHistory() {
    return history;
  }

  @Override
  public Optional<SlurmJob> history(long jobId, String tag) {
    if (!history) {
      return Optional.empty();
    }
    return historyJobs("look up job " + jobId + " in slurmdbd", "/job/" + jobId, Map.of()).stream()
        .filter(j -> j.id() == jobId && j.comment().equals(tag))
        .max(LATEST_RUN);
  }

  @Override
  public List<SlurmJob> historyByTag(String tag, String name, Instant since) {
    if (!history) {
      return List.of();
    }
    Map<String, String> query = Map.of("job_name", name, "start_time", dialect.historyTime(since));
    return historyJobs("search slurmdbd for " + tag, "/jobs/", query).stream()
        .filter(j -> j.comment().equals(tag))
        .toList();
  }

  private List<SlurmJob> historyJobs(String action, String path, Map<String, String> query) {
    HttpReply reply = http.get(dialect.historyPrefix() + path, query);
    try {
      requireSuccess(action, reply);
      Dialect.Jobs jobs = dialect.readHistory(reply);
      // dbv0.0.38 says "no such record" as an error (9003, "Nothing found with query").
      List<Problem> errors = jobs.envelope().errors();
      boolean onlyNothingFound =
          !errors.isEmpty()
              && errors.stream().allMatch(p -> Objects.equals(p.number(), NOTHING_FOUND));
      if (!onlyNothingFound) {
        requireNoErrors(action, reply, jobs.envelope());
      }
      return jobs.jobs();
    } catch (SlurmException.NotFound e) {
      return List.of();
    }
  }

  @Override
  public void cancel(long jobId) {
    HttpReply reply = http.delete(dialect.prefix() + "/job/" + jobId);
    requireSuccess("cancel job " + jobId, reply);
    requireNoErrors("cancel job " + jobId, reply, dialect.readCancel(reply));
  }

  private void requireSuccess(String action, HttpReply reply) {
    if (!reply.isSuccess()) {
      throw SlurmErrors.classify(action, reply, json.readEnvelope(reply));
    }
  }

  private static void requireNoErrors(String action, HttpReply reply, Envelope envelope) {
    if (!envelope.errors().isEmpty()) {
      throw SlurmErrors.classify(action, reply, envelope);
    }
  }

  private static String texts(List<Problem> problems) {
    return String.join("; ", problems.stream().map(Problem::text).toList());
  }
}
