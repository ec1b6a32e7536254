package io.daskmpi.operator.submit;

import java.time.Instant;

/**
 * Which DaskMpiJob a Slurm job belongs to. The tag goes into the Slurm job's comment, so that a job
 * submitted just before a lost status write is found again instead of submitted twice.
 *
 * @param namespace the resource's namespace
 * @param name the resource's name
 * @param uid the resource's UID (a re-created resource of the same name is a different job)
 * @param created when the resource was created: none of its jobs is older, which bounds a search of
 *     slurmdbd's records
 * @param attempt which Slurm job of the resource: 1, then one more per retry
 */
public record JobIdentity(String namespace, String name, String uid, Instant created, int attempt) {
  static final String TAG_PREFIX = "daskmpi.io/";

  /** The first attempt. */
  public JobIdentity(String namespace, String name, String uid, Instant created) {
    this(namespace, name, uid, created, 1);
  }

  public JobIdentity withAttempt(int n) {
    return n == attempt ? this : new JobIdentity(namespace, name, uid, created, n);
  }

  /** The Slurm job name users see in squeue: the resource's name (the namespace is in the tag). */
  public String jobName() {
    return name;
  }

  /**
   * {@code daskmpi.io/<namespace>/<name>/<uid>}, and {@code /attempt-N} from the second attempt on:
   * each attempt's job is found by its own tag, so a retry's lookup never adopts an earlier one.
   */
  public String tag() {
    String base = TAG_PREFIX + namespace + "/" + name + "/" + uid;
    return attempt <= 1 ? base : base + "/attempt-" + attempt;
  }
}
