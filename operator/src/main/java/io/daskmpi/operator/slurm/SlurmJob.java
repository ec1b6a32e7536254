package io.daskmpi.operator.slurm;

import java.time.Instant;
import java.util.Set;

/**
 * A Slurm job as slurmctld reports it, independent of the REST API version.
 *
 * <p>Times and the exit status are normalised here, once for every version: Slurm reports an
 * estimated start for pending jobs, the expected end (start + limit) for running ones and an exit
 * code of 0 before a job ends. None of those are facts, so they are dropped.
 *
 * @param id the Slurm job id
 * @param name the job name
 * @param comment the job comment (carries the operator's identity tag)
 * @param state the base state
 * @param flags state flags such as {@code COMPLETING} or {@code REQUEUED}
 * @param reason Slurm's {@code state_reason}, e.g. {@code Resources} or {@code NonZeroExitCode}
 * @param nodes the allocated nodes as a Slurm host list, empty while pending
 * @param batchHost the node that runs the batch script, empty while pending
 * @param submitTime when the job was submitted, or null
 * @param startTime when the job started, null until it has
 * @param endTime when the job ended, null until it has
 * @param exit how the job ended, null until it has
 * @param workingDirectory the job's working directory
 * @param standardOutput the job's output file, expanded when the server says so
 * @param userName the user the job runs as
 * @param queue what its owner may still change while it waits ({@link QueueSettings#UNKNOWN} when
 *     the answer does not say)
 */
public record SlurmJob(
    long id,
    String name,
    String comment,
    JobState state,
    Set<String> flags,
    String reason,
    String nodes,
    String batchHost,
    Instant submitTime,
    Instant startTime,
    Instant endTime,
    ExitStatus exit,
    String workingDirectory,
    String standardOutput,
    String userName,
    QueueSettings queue) {

  public static final String COMPLETING = "COMPLETING";

  public SlurmJob {
    flags = Set.copyOf(flags);
    name = nullToEmpty(name);
    comment = nullToEmpty(comment);
    reason = nullToEmpty(reason);
    nodes = nullToEmpty(nodes);
    batchHost = nullToEmpty(batchHost);
    workingDirectory = nullToEmpty(workingDirectory);
    standardOutput = nullToEmpty(standardOutput);
    userName = nullToEmpty(userName);
    queue = queue == null ? QueueSettings.UNKNOWN : queue;
    if (state == JobState.PENDING) {
      startTime = null;
    }
    if (!state.isTerminal()) {
      endTime = null;
      exit = null;
    }
  }

  /** A job whose queue settings are not known, as slurmdbd's records and most tests have it. */
  public SlurmJob(
      long id,
      String name,
      String comment,
      JobState state,
      Set<String> flags,
      String reason,
      String nodes,
      String batchHost,
      Instant submitTime,
      Instant startTime,
      Instant endTime,
      ExitStatus exit,
      String workingDirectory,
      String standardOutput,
      String userName) {
    this(
        id,
        name,
        comment,
        state,
        flags,
        reason,
        nodes,
        batchHost,
        submitTime,
        startTime,
        endTime,
        exit,
        workingDirectory,
        standardOutput,
        userName,
        QueueSettings.UNKNOWN);
  }

  /** Held by its owner or an administrator: it waits until released. */
  public boolean isHeld() {
    return state == JobState.PENDING
        && (reason.equals("JobHeldUser") || reason.equals("JobHeldAdmin"));
  }

  /** Ended and fully cleaned up: a terminal base state without the COMPLETING flag. */
  public boolean isFinished() {
    return state.isTerminal() && !flags.contains(COMPLETING);
  }

  /**
   * The latest moment Slurm records for this job: used to tell which jobs changed since a poll,
   * because slurmctld answers a changed-since query with every job it holds.
   */
  public Instant lastEventTime() {
    Instant latest = submitTime == null ? Instant.EPOCH : submitTime;
    for (Instant t : new Instant[] {startTime, endTime}) {
      if (t != null && t.isAfter(latest)) {
        latest = t;
      }
    }
    return latest;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
