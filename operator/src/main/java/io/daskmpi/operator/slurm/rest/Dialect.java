package io.daskmpi.operator.slurm.rest;

import io.daskmpi.operator.slurm.ApiVersion;
import io.daskmpi.operator.slurm.JobSubmission;
import io.daskmpi.operator.slurm.JobUpdate;
import io.daskmpi.operator.slurm.SlurmJob;
import io.daskmpi.operator.slurm.http.Envelope;
import io.daskmpi.operator.slurm.http.HttpReply;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The wire format of one family of REST API versions: how to write a submission and how to read
 * jobs, pings and answers. Everything version-specific lives behind this interface; the HTTP
 * exchange and the error mapping are shared.
 */
public interface Dialect {

  ApiVersion version();

  /** The path prefix of this version's slurmctld endpoints, e.g. {@code /slurm/v0.0.42}. */
  default String prefix() {
    return "/slurm/" + version().label();
  }

  /** The path prefix of this version's slurmdbd endpoints, e.g. {@code /slurmdb/v0.0.42}. */
  default String historyPrefix() {
    return "/slurmdb/" + version().label();
  }

  byte[] submitBody(JobSubmission submission);

  Submitted readSubmit(HttpReply reply);

  /** The body of {@code POST /job/{id}}: only the fields the update changes. */
  byte[] updateBody(JobUpdate update);

  Jobs readJobs(HttpReply reply);

  /**
   * A job listing read as it arrives ({@code GET /jobs/}): only the jobs {@code keep} accepts are
   * held, so the cost in memory follows our jobs, not the cluster's.
   */
  Jobs streamJobs(InputStream body, Predicate<SlurmJob> keep) throws IOException;

  /**
   * A {@code GET /jobs/state/} answer: each job's state names (base state, then flags) by id.
   * v0.0.40 and later only (Slurm 23.11.5+).
   */
  default Map<Long, List<String>> readStates(HttpReply reply) {
    throw new UnsupportedOperationException(version().label() + " has no jobs/state endpoint");
  }

  Ping readPing(HttpReply reply);

  /** A slurmdbd answer ({@code /slurmdb/.../job/{id}} or {@code /jobs/}); no "as of" time. */
  Jobs readHistory(HttpReply reply);

  /** The {@code start_time} query value of a search in slurmdbd's records. */
  String historyTime(Instant since);

  /** Problems in a cancel answer; v0.0.42+ report an unknown job only in {@code status[]}. */
  Envelope readCancel(HttpReply reply);

  /** The {@code update_time} query value for "changed since". */
  String updateTime(Instant since);

  /**
   * A submit answer.
   *
   * @param jobId the new job id, or null when none came back (then the submit failed)
   * @param envelope errors and warnings that came with it
   */
  record Submitted(Long jobId, Envelope envelope) {}

  /**
   * A job listing.
   *
   * @param jobs the jobs, version-neutral
   * @param lastUpdate slurmctld's own "as of" time, or null when the version does not report it
   * @param envelope errors and warnings that came with it
   */
  record Jobs(List<SlurmJob> jobs, Instant lastUpdate, Envelope envelope) {}

  /**
   * A ping answer.
   *
   * @param release the Slurm release, e.g. {@code 22.05.8}
   * @param responding whether the primary slurmctld answered
   * @param envelope errors and warnings that came with it
   */
  record Ping(String release, boolean responding, Envelope envelope) {}
}
