package io.daskmpi.operator.slurm;

import java.util.List;

/**
 * An accepted submission.
 *
 * @param jobId the new job's id
 * @param warnings what slurmrestd said alongside (e.g. the job is held, or the partition cannot run
 *     it now); a submit is accepted exactly when a job id came back
 */
public record SubmitResult(long jobId, List<String> warnings) {
  public SubmitResult {
    warnings = List.copyOf(warnings);
  }
}
