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
 */
public record JobIdentity(String namespace, String name, String uid, Instant created) {
  static final String TAG_PREFIX = "daskmpi.io/";

  /** The Slurm job name users see in squeue: the resource's name (the namespace is in the tag). */
  public String jobName() {
    return name;
  }

  /** {@code daskmpi.io/<namespace>/<name>/<uid>}. */
  public String tag() {
    return TAG_PREFIX + namespace + "/" + name + "/" + uid;
  }
}
