package io.daskmpi.operator.slurm.rest;

import io.daskmpi.operator.slurm.ApiVersion;
import io.daskmpi.operator.slurm.ClusterInfo;
import io.daskmpi.operator.slurm.JobListing;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.JobSubmission;
import io.daskmpi.operator.slurm.JobUpdate;
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
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

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

  /**
   * Ids per {@code jobs/state} request. They go in the URL as repeated {@code job_id} parameters
   * (26.05 fails a comma list with HTTP 500), and the whole request must fit in one 8 KiB write:
   * 26.05's slurmrestd fails a request whose headers arrive in a second read with HTTP 500 "Invalid
   * format for URL format" (measured with OkHttp: 480 ids pass, 500 fail). 300 ids of at most 8
   * digits make a 4.8 KB URL, leaving room for a long token.
   */
  static final int STATE_QUERY_BATCH = 300;

  /** ESLURM_REST_EMPTY_RESULT. */
  private static final int NOTHING_FOUND = 9003;

  private final SlurmHttp http;
  private final Dialect dialect;
  private final JsonCodec json;
  private final List<String> offeredVersions;
  private final boolean history;
  private final boolean stateQuery;
  private final Clock clock;

  /**
   * @param history whether the server serves slurmdbd's records in the dialect's version
   * @param stateQuery whether the server serves {@code jobs/state} in the dialect's version
   */
  public RestSlurmClient(
      SlurmHttp http,
      Dialect dialect,
      JsonCodec json,
      List<String> offeredVersions,
      boolean history,
      boolean stateQuery,
      Clock clock) {
    this.http = http;
    this.dialect = dialect;
    this.json = json;
    this.offeredVersions = List.copyOf(offeredVersions);
    this.history = history;
    this.stateQuery = stateQuery;
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
  public boolean hasStateQuery() {
    return stateQuery;
  }

  @Override
  public Map<Long, List<String>> states(Collection<Long> jobIds) {
    if (!stateQuery) {
      throw new UnsupportedOperationException(
          "slurmrestd serves no jobs/state in " + dialect.version().label());
    }
    List<String> ids = jobIds.stream().map(String::valueOf).toList();
    Map<Long, List<String>> states = new HashMap<>();
    for (int from = 0; from < ids.size(); from += STATE_QUERY_BATCH) {
      List<String> batch = ids.subList(from, Math.min(ids.size(), from + STATE_QUERY_BATCH));
      HttpReply reply = http.get(dialect.prefix() + "/jobs/state/", "job_id", batch);
      requireSuccess("read job states", reply);
      states.putAll(dialect.readStates(reply));
    }
    return states;
  }

  @Override
  public JobListing listChangedSince(Instant since) {
    Instant requested = clock.instant();
    // "Since the beginning" is a plain listing: some versions refuse update_time=uts0.
    Map<String, String> query =
        since.getEpochSecond() <= 0 ? Map.of() : Map.of("update_time", dialect.updateTime(since));
    // slurmctld answers with every job it holds once anything changed: keep what may have changed.
    Dialect.Jobs jobs = listJobs(query, j -> !j.isFinished() || !j.lastEventTime().isBefore(since));
    if (jobs == null || (jobs.jobs().isEmpty() && jobs.lastUpdate() == null)) {
      return JobListing.noChange(since); // HTTP 304 (v0.0.38), or an empty list with a warning
    }
    Instant asOf =
        jobs.lastUpdate() != null ? jobs.lastUpdate() : requested.minus(CLOCK_SKEW_MARGIN);
    return new JobListing(false, jobs.jobs(), asOf);
  }

  @Override
  public List<SlurmJob> findByTags(Set<String> tags) {
    Dialect.Jobs jobs = listJobs(Map.of(), j -> tags.contains(j.comment()));
    return jobs == null ? List.of() : jobs.jobs();
  }

  /** {@code GET /jobs/}, read as it arrives; null for HTTP 304 (nothing changed). */
  private Dialect.Jobs listJobs(Map<String, String> query, Predicate<SlurmJob> keep) {
    String path = dialect.prefix() + "/jobs/";
    Dialect.Jobs jobs =
        http.getStreamed(
            path,
            query,
            body -> dialect.streamJobs(body, keep),
            reply -> {
              if (reply.status() == 304) {
                return null;
              }
              requireSuccess("list jobs", reply);
              throw new SlurmException.Protocol(
                  "list jobs: HTTP " + reply.status() + " without a JSON body",
                  reply.status(),
                  null);
            });
    if (jobs != null) {
      // The body was read as it came: the error classification needs only the status.
      requireNoErrors(
          "list jobs",
          new HttpReply("GET", path, 200, "application/json", new byte[0]),
          jobs.envelope());
    }
    return jobs;
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
  public void update(long jobId, JobUpdate update) {
    String action = "update job " + jobId;
    HttpReply reply = http.post(dialect.prefix() + "/job/" + jobId, dialect.updateBody(update));
    requireSuccess(action, reply);
    requireNoErrors(action, reply, json.readEnvelope(reply));
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
