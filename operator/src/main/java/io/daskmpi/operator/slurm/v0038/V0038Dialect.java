package io.daskmpi.operator.slurm.v0038;

import io.daskmpi.operator.slurm.ApiVersion;
import io.daskmpi.operator.slurm.ExitStatus;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.JobSubmission;
import io.daskmpi.operator.slurm.JobUpdate;
import io.daskmpi.operator.slurm.QueueSettings;
import io.daskmpi.operator.slurm.SlurmJob;
import io.daskmpi.operator.slurm.http.Envelope;
import io.daskmpi.operator.slurm.http.HttpReply;
import io.daskmpi.operator.slurm.http.JsonCodec;
import io.daskmpi.operator.slurm.rest.Dialect;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** REST API v0.0.38, served by Slurm 22.05, 23.02 and 23.11. */
public final class V0038Dialect implements Dialect {

  /**
   * v0.0.38 reports a single string in which a flag wins over the base state; these are the flags
   * {@code job_state_string()} may return and the base state each implies.
   */
  private static final Map<String, JobState> FLAG_STATES =
      Map.ofEntries(
          Map.entry("COMPLETING", JobState.RUNNING),
          Map.entry("CONFIGURING", JobState.RUNNING),
          Map.entry("RESIZING", JobState.RUNNING),
          Map.entry("SIGNALING", JobState.RUNNING),
          Map.entry("STAGE_OUT", JobState.RUNNING),
          Map.entry("REQUEUED", JobState.PENDING),
          Map.entry("REQUEUE_FED", JobState.PENDING),
          Map.entry("REQUEUE_HOLD", JobState.PENDING),
          Map.entry("SPECIAL_EXIT", JobState.PENDING),
          Map.entry("RESV_DEL_HOLD", JobState.PENDING),
          Map.entry("STOPPED", JobState.SUSPENDED),
          Map.entry("REVOKED", JobState.UNKNOWN));

  private final JsonCodec json;

  public V0038Dialect(JsonCodec json) {
    this.json = json;
  }

  @Override
  public ApiVersion version() {
    return ApiVersion.V0_0_38;
  }

  @Override
  public byte[] submitBody(JobSubmission s) {
    List<Integer> nodes = s.nodes() == null ? null : List.of(s.nodes(), s.nodes());
    var job =
        new V0038Wire.JobProperties(
            s.name(),
            s.comment().isEmpty() ? null : s.comment(),
            s.tasks(),
            s.cpusPerTask(),
            s.memoryPerCpuMiB(),
            s.timeLimitMinutes(),
            nodes,
            s.tasksPerNode(),
            s.exclusive() ? "exclusive" : null,
            s.partition(),
            s.account(),
            s.qos(),
            s.reservation(),
            s.constraints(),
            s.workingDirectory(),
            s.standardOutput(),
            s.standardError(),
            s.environment(),
            s.hold() ? Boolean.TRUE : null,
            s.requeue());
    return json.write(new V0038Wire.SubmitRequest(s.script(), job));
  }

  @Override
  public Submitted readSubmit(HttpReply reply) {
    var response = json.read(reply, V0038Wire.SubmitResponse.class);
    return new Submitted(response.jobId(), new Envelope(response.errors(), List.of()));
  }

  @Override
  public Jobs readJobs(HttpReply reply) {
    var response = json.read(reply, V0038Wire.JobsResponse.class);
    List<SlurmJob> jobs =
        response.jobs() == null
            ? List.of()
            : response.jobs().stream().map(V0038Dialect::toJob).toList();
    return new Jobs(jobs, null, new Envelope(response.errors(), List.of()));
  }

  @Override
  public Jobs streamJobs(InputStream body, Predicate<SlurmJob> keep) throws IOException {
    List<SlurmJob> kept = new ArrayList<>();
    var rest =
        json.readStreaming(
            body,
            "jobs",
            V0038Wire.Job.class,
            wire -> {
              SlurmJob job = toJob(wire);
              if (keep.test(job)) {
                kept.add(job);
              }
            },
            V0038Wire.JobsResponse.class);
    return new Jobs(kept, null, new Envelope(rest.errors(), List.of()));
  }

  @Override
  public Ping readPing(HttpReply reply) {
    var response = json.read(reply, V0038Wire.PingResponse.class);
    boolean up =
        response.pings() != null
            && response.pings().stream().anyMatch(p -> "UP".equalsIgnoreCase(p.ping()));
    String release =
        response.meta() != null && response.meta().slurm() != null
            ? response.meta().slurm().release()
            : "";
    return new Ping(release, up, new Envelope(response.errors(), List.of()));
  }

  @Override
  public Envelope readCancel(HttpReply reply) {
    return new Envelope(json.read(reply, V0038Wire.Answer.class).errors(), List.of());
  }

  @Override
  public Jobs readHistory(HttpReply reply) {
    var response = json.read(reply, V0038Wire.HistoryResponse.class);
    List<SlurmJob> jobs =
        response.jobs() == null
            ? List.of()
            : response.jobs().stream().map(V0038Dialect::fromHistory).toList();
    return new Jobs(jobs, null, new Envelope(response.errors(), List.of()));
  }

  /**
   * dbv0.0.38 refuses plain epoch seconds ("Unable to parse time format") but reads {@code uts}.
   */
  @Override
  public String historyTime(Instant since) {
    return "uts" + since.getEpochSecond();
  }

  static SlurmJob fromHistory(V0038Wire.HistoryJob job) {
    String current =
        job.state() == null || job.state().current() == null ? "" : job.state().current();
    JobState state = JobState.ofBaseName(current);
    var times = job.time() == null ? new V0038Wire.HistoryTime(null, null, null) : job.time();
    return new SlurmJob(
        job.jobId(),
        job.name(),
        job.comment() == null ? "" : job.comment().job(),
        state,
        Set.of(),
        job.state() == null ? "" : job.state().reason(),
        job.nodes(),
        "",
        epoch(times.submission()),
        epoch(times.start()),
        epoch(times.end()),
        historyExit(state),
        job.workingDirectory(),
        "",
        job.user());
  }

  /**
   * Slurm 22.05's dbv0.0.38 (and dbv0.0.37/36) report every job's exit code as {@code SUCCESS, 0}
   * ({@code sacct} shows 3:0 for a job whose record here says 0): only the state can be trusted. A
   * job is COMPLETED exactly when its script exited 0; for any other end the exit stays unknown.
   */
  private static ExitStatus historyExit(JobState state) {
    return state == JobState.COMPLETED ? ExitStatus.exited(0) : null;
  }

  /** v0.0.38 parses {@code update_time} as a plain integer. */
  @Override
  public String updateTime(Instant since) {
    return Long.toString(since.getEpochSecond());
  }

  static SlurmJob toJob(V0038Wire.Job job) {
    String reported = job.jobState() == null ? "" : job.jobState();
    JobState flagState = FLAG_STATES.get(reported);
    JobState state = flagState != null ? flagState : JobState.ofBaseName(reported);
    Set<String> flags = flagState != null ? Set.of(reported) : Set.of();
    ExitStatus exit = job.exitCode() == null ? null : ExitStatus.fromWaitStatus(job.exitCode());
    return new SlurmJob(
        job.jobId(),
        job.name(),
        job.comment(),
        state,
        flags,
        job.stateReason(),
        job.nodes(),
        job.batchHost(),
        epoch(job.submitTime()),
        epoch(job.startTime()),
        epoch(job.endTime()),
        exit,
        job.currentWorkingDirectory(),
        expandOutput(job.standardOutput(), job),
        job.userName(),
        new QueueSettings(
            job.partition(),
            job.account(),
            job.qos(),
            job.reservation(),
            minutes(job.timeLimit())));
  }

  /** v0.0.38 reports an unlimited time limit as INFINITE (2^32 - 1). */
  private static Integer minutes(Long timeLimit) {
    return timeLimit == null || timeLimit < 0 || timeLimit >= 0xFFFFFFFEL
        ? null
        : timeLimit.intValue();
  }

  @Override
  public byte[] updateBody(JobUpdate u) {
    return json.write(
        new V0038Wire.JobUpdate(
            u.hold(), u.timeLimitMinutes(), u.partition(), u.account(), u.qos(), u.reservation()));
  }

  private static Instant epoch(Long seconds) {
    return seconds == null || seconds <= 0 ? null : Instant.ofEpochSecond(seconds);
  }

  /**
   * v0.0.38 reports the output file as its raw pattern ({@code %x-%j.out}); later versions expand
   * it. Expand the common placeholders so every version reports a usable path.
   */
  static String expandOutput(String pattern, V0038Wire.Job job) {
    if (pattern == null || pattern.indexOf('%') < 0) {
      return pattern;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c != '%' || i + 1 >= pattern.length()) {
        out.append(c);
        continue;
      }
      char code = pattern.charAt(++i);
      switch (code) {
        case 'j', 'A' -> out.append(job.jobId());
        case 'x' -> out.append(job.name() == null ? "" : job.name());
        case 'u' -> out.append(job.userName() == null ? "" : job.userName());
        case '%' -> out.append('%');
        default -> out.append('%').append(code);
      }
    }
    return out.toString();
  }
}
