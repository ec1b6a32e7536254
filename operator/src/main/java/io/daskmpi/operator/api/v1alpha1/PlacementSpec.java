package io.daskmpi.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Where the ranks run: how many nodes, how many ranks on each, and in what order. */
@ValidationRule(
    value =
        "!has(self.spread) || self.spread != 'dedicated-head' || (has(self.nodes) && self.nodes >= 2)",
    message = "spec.placement.spread dedicated-head needs spec.placement.nodes of at least 2")
public class PlacementSpec {
  @Min(1)
  @Max(100000)
  @JsonPropertyDescription(
      "Exact number of nodes to spread the ranks over (sbatch --nodes); empty to let Slurm choose.")
  private Integer nodes;

  @Min(1)
  @Max(4098)
  @JsonPropertyDescription(
      "Ranks on each node (sbatch --ntasks-per-node); empty to let Slurm fill nodes as it likes. With nodes, nodes x ranksPerNode must hold workers + 2 ranks; with spread dedicated-head it must be at least 2, and (nodes - 1) x ranksPerNode must hold the workers.")
  private Integer ranksPerNode;

  @JsonPropertyDescription(
      "Whole nodes, shared with no other job (sbatch --exclusive). Default false: the site's sharing policy applies.")
  private Boolean exclusive;

  @JsonPropertyDescription(
      "How ranks are laid out over the nodes. block (Slurm's default, srun --distribution=block): consecutive ranks fill a node, so the scheduler (rank 0) and the client (rank 1) share the first node. cyclic (--distribution=cyclic): rank after rank round the nodes. dedicated-head: the scheduler and the client alone on the first node, the workers round the other nodes (srun --distribution=arbitrary with a host file made in the job); it asks Slurm for nodes x ranksPerNode task slots, ranksPerNode defaulting to the workers per other node, and leaves the head node's spare slots idle. Rank 0, and so the dashboard, is always on the first node.")
  private RankSpread spread;

  public Integer getNodes() {
    return nodes;
  }

  public void setNodes(Integer nodes) {
    this.nodes = nodes;
  }

  public Integer getRanksPerNode() {
    return ranksPerNode;
  }

  public void setRanksPerNode(Integer ranksPerNode) {
    this.ranksPerNode = ranksPerNode;
  }

  public Boolean getExclusive() {
    return exclusive;
  }

  public void setExclusive(Boolean exclusive) {
    this.exclusive = exclusive;
  }

  public RankSpread getSpread() {
    return spread;
  }

  public void setSpread(RankSpread spread) {
    this.spread = spread;
  }
}
