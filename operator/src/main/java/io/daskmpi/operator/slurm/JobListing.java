package io.daskmpi.operator.slurm;

import java.time.Instant;
import java.util.List;

/**
 * The answer to "which jobs changed since T".
 *
 * <p>{@code unchanged} means slurmctld said nothing changed (HTTP 304 on v0.0.38, an empty list
 * with a warning later). It never means that a job is gone: a job that left slurmctld is only known
 * to be gone when a full listing or a direct lookup lacks it.
 *
 * @param unchanged slurmctld reported no change at all since the given time
 * @param jobs the jobs that may have changed (empty when {@code unchanged})
 * @param asOf the time to pass as {@code since} on the next poll
 */
public record JobListing(boolean unchanged, List<SlurmJob> jobs, Instant asOf) {

  public JobListing {
    jobs = List.copyOf(jobs);
  }

  public static JobListing noChange(Instant asOf) {
    return new JobListing(true, List.of(), asOf);
  }
}
