package io.daskmpi.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the ranks are laid out over the job's nodes. */
public enum RankSpread {
  /** Slurm's block distribution: consecutive ranks fill a node before the next one. */
  @JsonProperty("block")
  BLOCK,
  /** Slurm's cyclic distribution: rank after rank round the nodes. */
  @JsonProperty("cyclic")
  CYCLIC,
  /** The scheduler and the client alone on the first node, the workers round the others. */
  @JsonProperty("dedicated-head")
  DEDICATED_HEAD
}
