package io.daskmpi.operator.slurm;

/**
 * A change to a job that waits in the queue ({@code POST /job/{id}}), independent of the REST API
 * version. Null fields stay as they are.
 *
 * @param hold true holds the job (priority 0, reason JobHeldUser), false releases it
 * @param timeLimitMinutes the new time limit in minutes
 * @param partition the new partition
 * @param account the new account
 * @param qos the new QOS
 * @param reservation the new reservation
 */
public record JobUpdate(
    Boolean hold,
    Integer timeLimitMinutes,
    String partition,
    String account,
    String qos,
    String reservation) {
  public static JobUpdate holding() {
    return new JobUpdate(true, null, null, null, null, null);
  }

  public static JobUpdate releasing() {
    return new JobUpdate(false, null, null, null, null, null);
  }

  public boolean isEmpty() {
    return hold == null
        && timeLimitMinutes == null
        && partition == null
        && account == null
        && qos == null
        && reservation == null;
  }
}
