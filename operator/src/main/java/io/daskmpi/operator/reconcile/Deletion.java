package io.daskmpi.operator.reconcile;

import java.util.List;

/** What cancelling a deleted resource's Slurm job came to. */
public sealed interface Deletion {

  /** Nothing of the resource runs in Slurm any more; the listed jobs were cancelled just now. */
  record Done(List<Long> cancelled) implements Deletion {}

  /** Whether a job of the resource still runs cannot be known now: keep the resource, try again. */
  record Blocked(String reason) implements Deletion {}
}
