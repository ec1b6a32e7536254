package io.daskmpi.operator.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJob;
import io.daskmpi.operator.api.v1alpha1.PlacementSpec;
import io.daskmpi.operator.api.v1alpha1.RankSpread;
import io.daskmpi.operator.slurm.JobSubmission;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * spec.placement as Slurm gets it: the allocation (tasks, nodes, tasks per node, exclusive), srun's
 * layout options, the host file a dedicated head writes, and the rules that name their field.
 */
class PlacementTest {
  private final JobRenderer renderer = new JobRenderer(RenderSettings.defaults());
  @TempDir Path dir;

  private static DaskMpiJob job(
      int workers, Integer nodes, Integer ranksPerNode, Boolean exclusive, RankSpread spread) {
    DaskMpiJob job = Examples.load("dask-example-local.yaml");
    job.getSpec().setWorkers(workers);
    PlacementSpec p = new PlacementSpec();
    p.setNodes(nodes);
    p.setRanksPerNode(ranksPerNode);
    p.setExclusive(exclusive);
    p.setSpread(spread);
    job.getSpec().setPlacement(p);
    return job;
  }

  private JobSubmission render(DaskMpiJob job) {
    return renderer.render(Examples.identity(job), job.getSpec());
  }

  @ParameterizedTest(name = "{0} workers, nodes {1}, {2}/node, exclusive {3}, {4}")
  @CsvSource(
      nullValues = "-",
      value = {
        // workers, nodes, ranksPerNode, exclusive, spread -> tasks, tasksPerNode, srun options
        "1, -, -, -,              -, 3, -, ''",
        "4, 3, 2, -,              -, 6, 2, ''",
        "4, 3, 2, true,       BLOCK, 6, 2, --distribution=block",
        "4, 3, -, false,     CYCLIC, 6, -, --distribution=cyclic",
        // The head's spare slots stay idle: nodes x max(2, ceil(workers / (nodes - 1))) slots.
        "4, 3, -, -, DEDICATED_HEAD, 6, 2, --ntasks=6 --distribution=arbitrary",
        "7, 3, -, -, DEDICATED_HEAD, 12, 4, --ntasks=9 --distribution=arbitrary",
        "1, 2, -, -, DEDICATED_HEAD, 4, 2, --ntasks=3 --distribution=arbitrary",
        "4, 3, 5, -, DEDICATED_HEAD, 15, 5, --ntasks=6 --distribution=arbitrary",
      })
  void placementShapesTheAllocationAndSrun(
      int workers,
      Integer nodes,
      Integer ranksPerNode,
      Boolean exclusive,
      RankSpread spread,
      int tasks,
      Integer tasksPerNode,
      String srunOptions) {
    JobSubmission s = render(job(workers, nodes, ranksPerNode, exclusive, spread));

    assertThat(s.tasks()).isEqualTo(tasks);
    assertThat(s.nodes()).isEqualTo(nodes);
    assertThat(s.tasksPerNode()).isEqualTo(tasksPerNode);
    assertThat(s.exclusive()).isEqualTo(Boolean.TRUE.equals(exclusive));
    String srunLine =
        s.script().lines().filter(l -> l.startsWith("srun ")).findFirst().orElseThrow();
    assertThat(srunLine).startsWith(("srun --mpi=none " + srunOptions).trim() + " java ");
    assertThat(s.script().contains("SLURM_HOSTFILE"))
        .isEqualTo(spread == RankSpread.DEDICATED_HEAD);
  }

  @ParameterizedTest(name = "{0} nodes, {1} workers")
  @CsvSource({
    "'node1 node2 node3', 4, 'node1 node1 node2 node3 node2 node3'",
    "'cn01 cn02', 3, 'cn01 cn01 cn02 cn02 cn02'",
    "'a b c d', 2, 'a a b c'",
  })
  void dedicatedHeadPutsRanksZeroAndOneOnTheFirstNodeAndWorkersRoundTheOthers(
      String allocated, int workers, String expectedLines) throws Exception {
    String script =
        render(job(workers, allocated.split(" ").length, null, null, RankSpread.DEDICATED_HEAD))
            .script();

    assertThat(hostFileOf(script, allocated)).containsExactly(expectedLines.split(" "));
  }

  @ParameterizedTest(name = "{0} workers, nodes {1}, {2}/node, {3}")
  @CsvSource(
      nullValues = "-",
      value = {
        "4, 1, -,              DEDICATED_HEAD, spec.placement.nodes, needs at least 2 nodes",
        "4, -, -,              DEDICATED_HEAD, spec.placement.nodes, needs at least 2 nodes",
        "4, 3, 1,              DEDICATED_HEAD, spec.placement.ranksPerNode, must be at least 2",
        "5, 3, 2,              DEDICATED_HEAD, spec.placement.ranksPerNode, hold the 5 workers",
        "4, 2, 2,              -, spec.placement.ranksPerNode, cannot hold the job's 6 ranks",
        "4, 0, -,              -, spec.placement.nodes, must be between 1 and 100000",
        "4, 3, 0,              -, spec.placement.ranksPerNode, must be between 1 and 4098",
      })
  void impossiblePlacementsNameTheirField(
      int workers,
      Integer nodes,
      Integer ranksPerNode,
      RankSpread spread,
      String field,
      String message) {
    DaskMpiJob job = job(workers, nodes, ranksPerNode, null, spread);

    assertThatThrownBy(() -> render(job))
        .isInstanceOfSatisfying(
            InvalidSpecException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .satisfies(
                        p -> {
                          assertThat(p.field()).isEqualTo(field);
                          assertThat(p.message()).contains(message);
                        }));
  }

  /**
   * Runs the batch script with stand-ins: scontrol lists ALLOCATED, srun copies $SLURM_HOSTFILE.
   */
  private List<String> hostFileOf(String batchScript, String allocated) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path copy = dir.resolve("hosts.copy");
    Files.writeString(bin.resolve("scontrol"), "#!/bin/bash\nprintf '%s\\n' " + allocated + "\n");
    Files.writeString(bin.resolve("srun"), "#!/bin/bash\ncp -- \"$SLURM_HOSTFILE\" \"$COPY\"\n");
    for (String tool : List.of("scontrol", "srun")) {
      Files.setPosixFilePermissions(
          bin.resolve(tool), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Path script =
        Files.writeString(
            dir.resolve("job.sh"), batchScript.replace("cd -- /home/daskjob", "cd -- " + dir));
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":/usr/bin:/bin");
    pb.environment().put("COPY", copy.toString());
    pb.environment().put("SLURM_JOB_ID", "4242");
    pb.environment().put("SLURM_JOB_NODELIST", "ignored-by-the-stand-in");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(dir.resolve(".daskmpi/job-4242")).as("the job's files are removed").doesNotExist();
    return Files.readAllLines(copy);
  }
}
