package io.daskmpi.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Where the job runs in Slurm. Empty fields take the site's defaults. */
public class SlurmOptions {
  @Pattern("^[A-Za-z0-9_.,-]*$")
  @Size(max = 256)
  @JsonPropertyDescription("Slurm partition (sbatch --partition).")
  private String partition;

  @Pattern("^[A-Za-z0-9_.-]*$")
  @Size(max = 256)
  @JsonPropertyDescription("Slurm account to charge (sbatch --account).")
  private String account;

  @Pattern("^[A-Za-z0-9_.-]*$")
  @Size(max = 256)
  @JsonPropertyDescription("Quality of service (sbatch --qos).")
  private String qos;

  @Pattern("^[A-Za-z0-9_.,-]*$")
  @Size(max = 256)
  @JsonPropertyDescription("Reservation to run in (sbatch --reservation).")
  private String reservation;

  @Pattern("^[A-Za-z0-9_.,&|()\\[\\]*:!-]*$")
  @Size(max = 1024)
  @JsonPropertyDescription("Node feature constraints (sbatch --constraint), e.g. 'gpu&skylake'.")
  private String constraints;

  @JsonPropertyDescription(
      "Whether Slurm may requeue the job after a node failure or preemption (sbatch --requeue). Default false: the client script runs at most once, as a Kubernetes Job pod with restartPolicy Never, because a rerun starts it again from the top and repeats what it already wrote; a job that ends in NODE_FAIL or PREEMPTED is then Failed. When true, such a job is followed through its rerun and stays Queued meanwhile.")
  private Boolean requeue;

  public Boolean getRequeue() {
    return requeue;
  }

  public void setRequeue(Boolean requeue) {
    this.requeue = requeue;
  }

  /** The requeue choice with the default applied. */
  public boolean requeues() {
    return Boolean.TRUE.equals(requeue);
  }

  public String getPartition() {
    return partition;
  }

  public void setPartition(String partition) {
    this.partition = partition;
  }

  public String getAccount() {
    return account;
  }

  public void setAccount(String account) {
    this.account = account;
  }

  public String getQos() {
    return qos;
  }

  public void setQos(String qos) {
    this.qos = qos;
  }

  public String getReservation() {
    return reservation;
  }

  public void setReservation(String reservation) {
    this.reservation = reservation;
  }

  public String getConstraints() {
    return constraints;
  }

  public void setConstraints(String constraints) {
    this.constraints = constraints;
  }
}
