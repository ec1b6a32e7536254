package io.daskmpi.operator.slurm;

import java.util.Objects;

/**
 * The settings of a job that Slurm lets its owner change while the job waits in the queue, as
 * slurmctld reports them. Empty strings and a null time limit mean Slurm did not say (slurmdbd's
 * records, or a listing that leaves them out).
 *
 * @param partition the partition, e.g. {@code debug}
 * @param account the account
 * @param qos the QOS
 * @param reservation the reservation's name
 * @param timeLimitMinutes the time limit in minutes, or null when unlimited or not reported
 */
public record QueueSettings(
    String partition, String account, String qos, String reservation, Integer timeLimitMinutes) {
  public static final QueueSettings UNKNOWN = new QueueSettings("", "", "", "", null);

  public QueueSettings {
    partition = Objects.requireNonNullElse(partition, "");
    account = Objects.requireNonNullElse(account, "");
    qos = Objects.requireNonNullElse(qos, "");
    reservation = Objects.requireNonNullElse(reservation, "");
  }
}
