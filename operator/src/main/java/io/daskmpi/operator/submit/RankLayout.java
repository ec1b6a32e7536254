package io.daskmpi.operator.submit;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobSpec;
import io.daskmpi.operator.api.v1alpha1.PlacementSpec;
import io.daskmpi.operator.api.v1alpha1.RankSpread;
import java.util.List;

/**
 * How a valid spec's ranks map onto the Slurm allocation and onto {@code srun}'s task layout. Pure.
 *
 * @param ranks the ranks srun starts: workers + 2
 * @param allocatedTasks the task slots asked of Slurm; more than {@code ranks} only for {@link
 *     RankSpread#DEDICATED_HEAD}, whose head node keeps its spare slots idle
 * @param nodes exact node count, or null
 * @param tasksPerNode tasks per node, or null
 * @param exclusive whole nodes
 * @param spread the spread asked for, or null for the site's default (Slurm's is block)
 */
record RankLayout(
    int ranks,
    int allocatedTasks,
    Integer nodes,
    Integer tasksPerNode,
    boolean exclusive,
    RankSpread spread) {

  static RankLayout of(DaskMpiJobSpec spec) {
    int workers = spec.getWorkers();
    int ranks = workers + 2;
    PlacementSpec p = spec.getPlacement() == null ? new PlacementSpec() : spec.getPlacement();
    boolean exclusive = Boolean.TRUE.equals(p.getExclusive());
    if (p.getSpread() == RankSpread.DEDICATED_HEAD) {
      int nodes = p.getNodes(); // at least 2: SpecValidator
      int perNode =
          p.getRanksPerNode() != null
              ? p.getRanksPerNode()
              : Math.max(2, (workers + nodes - 2) / (nodes - 1)); // ceil(workers / (nodes - 1))
      return new RankLayout(ranks, nodes * perNode, nodes, perNode, exclusive, p.getSpread());
    }
    return new RankLayout(
        ranks, ranks, p.getNodes(), p.getRanksPerNode(), exclusive, p.getSpread());
  }

  int workers() {
    return ranks - 2;
  }

  boolean dedicatedHead() {
    return spread == RankSpread.DEDICATED_HEAD;
  }

  /** srun's options for this layout. */
  List<String> srunOptions() {
    if (spread == null) {
      return List.of();
    }
    return switch (spread) {
      case BLOCK -> List.of("--distribution=block");
      case CYCLIC -> List.of("--distribution=cyclic");
      // The allocation has more slots than ranks: srun must not fill them all.
      case DEDICATED_HEAD -> List.of("--ntasks=" + ranks, "--distribution=arbitrary");
    };
  }
}
