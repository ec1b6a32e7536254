package io.daskmpi.operator.slurm.v0040;

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
import io.daskmpi.operator.slurm.http.Problem;
import io.daskmpi.operator.slurm.http.SlurmErrors;
import io.daskmpi.operator.slurm.rest.Dialect;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** REST API v0.0.40 to v0.0.45 (Slurm 23.11 to 26.05 and on), which share one JSON shape. */
public final class V0040Dialect implements Dialect {
  /** ESLURM_ALREADY_DONE: the job or a step already ended, which is what a cancel wants. */
  private static final int ALREADY_DONE = 2021;

  private final ApiVersion version;
  private final JsonCodec json;

  public V0040Dialect(ApiVersion version, JsonCodec json) {
    if (version == ApiVersion.V0_0_38) {
      throw new IllegalArgumentException("v0.0.38 has its own dialect");
    }
    this.version = version;
    this.json = json;
  }

  @Override
  public ApiVersion version() {
    return version;
  }

  @Override
  public byte[] submitBody(JobSubmission s) {
    List<String> environment = new ArrayList<>();
    s.environment().forEach((k, v) -> environment.add(k + "=" + v));
    var job =
        new V0040Wire.JobDesc(
            s.script(),
            s.name(),
            s.comment().isEmpty() ? null : s.comment(),
            s.tasks(),
            s.cpusPerTask(),
            s.memoryPerCpuMiB() == null ? null : NoValNumber.of(s.memoryPerCpuMiB()),
            s.timeLimitMinutes() == null ? null : NoValNumber.of(s.timeLimitMinutes()),
            s.nodes(),
            s.nodes(),
            s.tasksPerNode(),
            s.exclusive() ? List.of("none") : null,
            s.partition(),
            s.account(),
            s.qos(),
            s.reservation(),
            s.constraints(),
            s.workingDirectory(),
            s.standardOutput(),
            s.standardError(),
            environment,
            s.hold() ? Boolean.TRUE : null,
            s.requeue());
    return json.write(new V0040Wire.SubmitRequest(job));
  }

  @Override
  public Submitted readSubmit(HttpReply reply) {
    var response = json.read(reply, V0040Wire.SubmitResponse.class);
    return new Submitted(response.jobId(), new Envelope(response.errors(), response.warnings()));
  }

  @Override
  public Jobs readJobs(HttpReply reply) {
    var response = json.read(reply, V0040Wire.JobsResponse.class);
    List<SlurmJob> jobs =
        response.jobs() == null
            ? List.of()
            : response.jobs().stream().map(V0040Dialect::toJob).toList();
    Long lastUpdate = response.lastUpdate() == null ? null : response.lastUpdate().value();
    // "No change" comes as last_update 0 with an empty list.
    Instant asOf = lastUpdate == null || lastUpdate <= 0 ? null : Instant.ofEpochSecond(lastUpdate);
    return new Jobs(jobs, asOf, new Envelope(response.errors(), response.warnings()));
  }

  @Override
  public Jobs streamJobs(InputStream body, Predicate<SlurmJob> keep) throws IOException {
    List<SlurmJob> kept = new ArrayList<>();
    var rest =
        json.readStreaming(
            body,
            "jobs",
            V0040Wire.Job.class,
            wire -> {
              SlurmJob job = toJob(wire);
              if (keep.test(job)) {
                kept.add(job);
              }
            },
            V0040Wire.JobsResponse.class);
    Long lastUpdate = rest.lastUpdate() == null ? null : rest.lastUpdate().value();
    Instant asOf = lastUpdate == null || lastUpdate <= 0 ? null : Instant.ofEpochSecond(lastUpdate);
    return new Jobs(kept, asOf, new Envelope(rest.errors(), rest.warnings()));
  }

  /**
   * Ids that are not plain numbers (array tasks, het job components) are skipped: the operator
   * submits neither.
   */
  @Override
  public Map<Long, List<String>> readStates(HttpReply reply) {
    var response = json.read(reply, V0040Wire.StatesResponse.class);
    Envelope envelope = new Envelope(response.errors(), response.warnings());
    if (!envelope.errors().isEmpty()) {
      throw SlurmErrors.classify("read job states", reply, envelope);
    }
    Map<Long, List<String>> states = new HashMap<>();
    for (var entry :
        response.jobs() == null ? List.<V0040Wire.JobStateEntry>of() : response.jobs()) {
      if (entry.jobId() != null && entry.jobId().matches("\\d{1,18}")) {
        states.put(
            Long.parseLong(entry.jobId()), entry.state() == null ? List.of() : entry.state());
      }
    }
    return states;
  }

  @Override
  public Ping readPing(HttpReply reply) {
    var response = json.read(reply, V0040Wire.PingResponse.class);
    boolean up = response.pings() != null && response.pings().stream().anyMatch(V0040Dialect::isUp);
    String release =
        response.meta() != null && response.meta().slurm() != null
            ? response.meta().slurm().release()
            : "";
    return new Ping(release, up, new Envelope(response.errors(), response.warnings()));
  }

  @Override
  public Jobs readHistory(HttpReply reply) {
    var response = json.read(reply, V0040Wire.HistoryResponse.class);
    List<SlurmJob> jobs =
        response.jobs() == null
            ? List.of()
            : response.jobs().stream().map(V0040Dialect::fromHistory).toList();
    return new Jobs(jobs, null, new Envelope(response.errors(), response.warnings()));
  }

  @Override
  public String historyTime(Instant since) {
    return updateTime(since);
  }

  static SlurmJob fromHistory(V0040Wire.HistoryJob job) {
    List<String> names =
        job.state() == null || job.state().current() == null ? List.of() : job.state().current();
    JobState state = names.isEmpty() ? JobState.UNKNOWN : JobState.ofBaseName(names.get(0));
    Set<String> flags =
        new LinkedHashSet<>(names.size() > 1 ? names.subList(1, names.size()) : List.of());
    var times = job.time() == null ? new V0040Wire.HistoryTime(null, null, null) : job.time();
    return new SlurmJob(
        job.jobId(),
        job.name(),
        job.comment() == null ? "" : job.comment().job(),
        state,
        flags,
        job.state() == null ? "" : job.state().reason(),
        job.nodes(),
        "",
        epoch(times.submission()),
        epoch(times.start()),
        epoch(times.end()),
        exit(job.exitCode()),
        job.workingDirectory(),
        job.stdoutExpanded(),
        job.user());
  }

  private static Instant epoch(Long seconds) {
    return seconds == null || seconds <= 0 ? null : Instant.ofEpochSecond(seconds);
  }

  private static boolean isUp(V0040Wire.Ping ping) {
    return ping.responding() != null ? ping.responding() : "UP".equalsIgnoreCase(ping.pinged());
  }

  @Override
  public Envelope readCancel(HttpReply reply) {
    var response = json.read(reply, V0040Wire.KillResponse.class);
    List<Problem> errors =
        new ArrayList<>(response.errors() == null ? List.of() : response.errors());
    if (response.status() != null) {
      for (var status : response.status()) {
        Integer code = status.error() == null ? null : status.error().code();
        if (code != null && code != 0 && code != ALREADY_DONE) {
          errors.add(
              new Problem(
                  status.error().code(),
                  status.error().string(),
                  status.error().message() + " (job " + status.stepId() + ")",
                  "status"));
        }
      }
    }
    return new Envelope(errors, response.warnings());
  }

  /**
   * {@code uts<epoch>} is the one form every data_parser version reads without knowing the server's
   * time zone: v0.0.40 and v0.0.41 reject plain epoch seconds, and ISO times are server-local.
   */
  @Override
  public String updateTime(Instant since) {
    return "uts" + since.getEpochSecond();
  }

  static SlurmJob toJob(V0040Wire.Job job) {
    List<String> names = job.jobState() == null ? List.of() : job.jobState();
    JobState state = names.isEmpty() ? JobState.UNKNOWN : JobState.ofBaseName(names.get(0));
    Set<String> flags =
        new LinkedHashSet<>(names.size() > 1 ? names.subList(1, names.size()) : List.of());
    String output =
        job.stdoutExpanded() != null && !job.stdoutExpanded().isBlank()
            ? job.stdoutExpanded()
            : job.standardOutput();
    return new SlurmJob(
        job.jobId(),
        job.name(),
        job.comment(),
        state,
        flags,
        job.stateReason(),
        job.nodes(),
        job.batchHost(),
        time(job.submitTime()),
        time(job.startTime()),
        time(job.endTime()),
        exit(job.exitCode()),
        job.currentWorkingDirectory(),
        output,
        job.userName(),
        new QueueSettings(
            job.partition(),
            job.account(),
            job.qos(),
            job.reservation(),
            job.timeLimit() == null || job.timeLimit().value() == null
                ? null
                : job.timeLimit().value().intValue()));
  }

  @Override
  public byte[] updateBody(JobUpdate u) {
    return json.write(
        new V0040Wire.JobUpdate(
            u.hold(),
            u.timeLimitMinutes() == null ? null : NoValNumber.of(u.timeLimitMinutes()),
            u.partition(),
            u.account(),
            u.qos(),
            u.reservation()));
  }

  private static Instant time(NoValNumber value) {
    Long seconds = value == null ? null : value.value();
    return seconds == null || seconds <= 0 ? null : Instant.ofEpochSecond(seconds);
  }

  static ExitStatus exit(V0040Wire.ExitCode code) {
    if (code == null) {
      return null;
    }
    List<String> status = code.status() == null ? List.of() : code.status();
    if (status.contains("SIGNALED") || status.contains("CORE_DUMPED")) {
      Long signal =
          code.signal() == null || code.signal().id() == null ? null : code.signal().id().value();
      if (signal != null) {
        return ExitStatus.signaled(signal.intValue());
      }
    }
    Long rc = code.returnCode() == null ? null : code.returnCode().value();
    return rc == null ? null : ExitStatus.exited(rc.intValue());
  }
}
