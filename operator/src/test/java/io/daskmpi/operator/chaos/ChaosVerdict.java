package io.daskmpi.operator.chaos;

import io.daskmpi.operator.api.v1alpha1.Phase;
import io.daskmpi.operator.slurm.JobState;
import io.daskmpi.operator.slurm.SlurmJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The chaos suite's end-of-run checks, a pure function of what the API server holds and what
 * Slurm's records say. The expected phase is worked out here on its own, not with the operator's
 * mapping, so that a wrong mapping cannot agree with itself.
 *
 * @param resources how many DaskMpiJobs the run created
 * @param duplicates tags with more than one Slurm job
 * @param orphans deleted resources with a Slurm job still pending or running
 * @param wrongPhase remaining resources whose final phase or job id is not what Slurm says
 * @param stuck resources not final at the end, or deleted ones still present
 * @param findings one line per problem, for the failure message
 */
public record ChaosVerdict(
    int resources, int duplicates, int orphans, int wrongPhase, int stuck, List<String> findings) {

  /**
   * One resource the run created, as the API server shows it at the end.
   *
   * @param tag its Slurm tag (namespace, name and UID)
   * @param deleted whether the run deleted it
   * @param present whether the API server still has it
   * @param phase its phase, null when it has no status
   * @param jobId the Slurm job id its status names, or null
   */
  public record Outcome(String tag, boolean deleted, boolean present, Phase phase, Long jobId) {}

  public static ChaosVerdict judge(List<Outcome> outcomes, Map<String, List<SlurmJob>> jobsByTag) {
    int duplicates = 0;
    int orphans = 0;
    int wrong = 0;
    int stuck = 0;
    List<String> findings = new ArrayList<>();
    for (Outcome o : outcomes) {
      List<SlurmJob> jobs = jobsByTag.getOrDefault(o.tag(), List.of());
      if (jobs.size() > 1) {
        duplicates++;
        findings.add(o.tag() + ": " + jobs.size() + " Slurm jobs " + ids(jobs));
      }
      if (o.deleted()) {
        if (o.present()) {
          stuck++;
          findings.add(o.tag() + ": deleted, but still present (phase " + o.phase() + ")");
        }
        List<SlurmJob> active = jobs.stream().filter(j -> !j.isFinished()).toList();
        if (!active.isEmpty()) {
          orphans++;
          findings.add(o.tag() + ": deleted, but Slurm jobs still active " + ids(active));
        }
        continue;
      }
      if (!o.present() || o.phase() == null || !o.phase().isFinal()) {
        stuck++;
        findings.add(o.tag() + ": not final at the end (phase " + o.phase() + ")");
        continue;
      }
      SlurmJob named =
          jobs.stream().filter(j -> Objects.equals(j.id(), o.jobId())).findFirst().orElse(null);
      Phase expected = named == null ? null : expected(named);
      if (named == null || expected != o.phase()) {
        wrong++;
        findings.add(
            o.tag()
                + ": phase "
                + o.phase()
                + " with job "
                + o.jobId()
                + ", Slurm says "
                + (named == null ? "no such job of this tag " + ids(jobs) : describe(named)));
      }
    }
    return new ChaosVerdict(outcomes.size(), duplicates, orphans, wrong, stuck, findings);
  }

  /** The phase a finished Slurm job means; null while it is not finished. */
  static Phase expected(SlurmJob job) {
    if (!job.isFinished()) {
      return null;
    }
    if (job.state() == JobState.CANCELLED) {
      return Phase.Cancelled;
    }
    // COMPLETED is Slurm's word for "every process exited 0"; an exit code, where given, agrees.
    boolean success =
        job.state() == JobState.COMPLETED && (job.exit() == null || job.exit().isSuccess());
    return success ? Phase.Succeeded : Phase.Failed;
  }

  public boolean clean() {
    return duplicates == 0 && orphans == 0 && wrongPhase == 0 && stuck == 0;
  }

  /** The one line {@code dev/chaos} prints. */
  public String summary(int kills, int restarts) {
    return "chaos: kills=%d restarts=%d resources=%d duplicates=%d orphans=%d wrong_phase=%d stuck=%d"
        .formatted(kills, restarts, resources, duplicates, orphans, wrongPhase, stuck);
  }

  private static String describe(SlurmJob job) {
    return job.id() + " " + job.state() + (job.exit() == null ? "" : " (" + job.exit() + ")");
  }

  private static List<Long> ids(List<SlurmJob> jobs) {
    return jobs.stream().map(SlurmJob::id).toList();
  }
}
