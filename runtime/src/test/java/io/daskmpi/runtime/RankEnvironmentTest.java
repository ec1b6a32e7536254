package io.daskmpi.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Environments as measured on the lab machine (docs/local-lab.md §2). */
class RankEnvironmentTest {

  /** What srun sets on every task, whatever --mpi says. */
  private static Map<String, String> srunTask(int rank, int size) {
    Map<String, String> env = new HashMap<>();
    env.put("SLURM_PROCID", Integer.toString(rank));
    env.put("SLURM_NTASKS", Integer.toString(size));
    env.put("SLURM_STEP_NUM_TASKS", Integer.toString(size));
    env.put("SLURM_LOCALID", Integer.toString(rank));
    env.put("SLURM_NODEID", "0");
    env.put("SLURM_JOB_ID", "15");
    env.put("SLURM_STEP_ID", "0");
    env.put("SLURM_CLUSTER_NAME", "lab");
    return env;
  }

  @Test
  void srunWithoutMpiPluginUsesSlurmProcid() {
    Rank rank = RankEnvironment.detect(srunTask(2, 3));

    assertThat(rank)
        .extracting(Rank::rank, Rank::size, Rank::launcher)
        .containsExactly(2, 3, Launcher.SRUN);
    assertThat(rank.role()).isEqualTo(Role.WORKER);
  }

  @Test
  void srunPmi2UsesPmiRank() {
    Map<String, String> env = srunTask(1, 3);
    env.putAll(Map.of("PMI_RANK", "1", "PMI_SIZE", "3", "PMI_FD", "7", "PMI_JOBID", "15.0"));

    assertThat(RankEnvironment.detect(env))
        .extracting(Rank::rank, Rank::size, Rank::launcher)
        .containsExactly(1, 3, Launcher.SRUN_PMI2);
  }

  @Test
  void srunPmixUsesPmixRankAndTheStepSize() {
    Map<String, String> env = srunTask(0, 5);
    env.putAll(Map.of("PMIX_RANK", "0", "PMIX_NAMESPACE", "slurm.pmix.15.0"));

    assertThat(RankEnvironment.detect(env))
        .extracting(Rank::rank, Rank::size, Rank::launcher)
        .containsExactly(0, 5, Launcher.SRUN_PMIX);
  }

  @Test
  void mpichHydraOutsideSlurm() {
    Map<String, String> env =
        Map.of(
            "PMI_RANK", "2",
            "PMI_SIZE", "4",
            "PMI_FD", "8",
            "MPI_LOCALRANKID", "2",
            "MPI_LOCALNRANKS", "4",
            "HYDI_CONTROL_FD", "7");

    assertThat(RankEnvironment.detect(env))
        .extracting(Rank::rank, Rank::size, Rank::launcher)
        .containsExactly(2, 4, Launcher.HYDRA);
  }

  @Test
  void openMpi() {
    Map<String, String> env =
        Map.of(
            "OMPI_COMM_WORLD_RANK", "1",
            "OMPI_COMM_WORLD_SIZE", "3",
            "OMPI_COMM_WORLD_LOCAL_RANK", "1",
            "PMIX_RANK", "1",
            "PMIX_NAMESPACE", "prterun-vm-4242@1");

    assertThat(RankEnvironment.detect(env))
        .extracting(Rank::rank, Rank::size, Rank::launcher)
        .containsExactly(1, 3, Launcher.OPEN_MPI);
  }

  @Test
  void mpiexecInsideABatchJobIgnoresTheInheritedSlurmProcid() {
    // The batch step's SLURM_PROCID=0 reaches every rank of mpiexec; PMI_RANK is the real rank.
    for (int pmiRank = 0; pmiRank < 3; pmiRank++) {
      Map<String, String> env = new HashMap<>();
      env.putAll(Map.of("SLURM_JOB_ID", "77", "SLURM_PROCID", "0", "SLURM_NTASKS", "3"));
      env.putAll(Map.of("PMI_RANK", Integer.toString(pmiRank), "PMI_SIZE", "3", "PMI_FD", "6"));

      Rank rank = RankEnvironment.detect(env);

      assertThat(rank.rank()).isEqualTo(pmiRank);
      assertThat(rank.launcher()).isEqualTo(Launcher.HYDRA);
    }
  }

  @Test
  void theBatchScriptItselfIsNotARank() {
    Map<String, String> env =
        Map.of("SLURM_JOB_ID", "77", "SLURM_PROCID", "0", "SLURM_NTASKS", "3");

    assertThatThrownBy(() -> RankEnvironment.detect(env))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageContaining("found 1 rank")
        .hasMessageContaining("no SLURM_STEP_ID");
  }

  @Test
  void noRankInformationSaysOneRankAndWhatIsNeeded() {
    assertThatThrownBy(() -> RankEnvironment.detect(Map.of("HOME", "/root")))
        .isInstanceOf(RuntimeFailure.class)
        .satisfies(e -> assertThat(((RuntimeFailure) e).exitCode()).isEqualTo(2))
        .hasMessageContaining("found 1 rank")
        .hasMessageContaining("not started by srun or mpiexec")
        .hasMessageContaining("needs at least 3 ranks")
        .hasMessageContaining("the scheduler (rank 0), the client script (rank 1)")
        .hasMessageContaining("at least one worker");
  }

  @Test
  void twoRanksAreTooFewAndTheMessageSaysHowManyWereFound() {
    assertThatThrownBy(() -> RankEnvironment.detect(srunTask(1, 2)))
        .isInstanceOf(RuntimeFailure.class)
        .hasMessageStartingWith("found 2 ranks (srun: SLURM_PROCID=1, SLURM_NTASKS=2)")
        .hasMessageContaining("Dask-MPI needs at least 3 ranks")
        .hasMessageContaining("at least one worker");
  }

  @Test
  void aSingletonMpiRankIsTooFew() {
    // What a mismatched MPI looks like through PMI: every process alone (dask-mpi #49).
    assertThatThrownBy(() -> RankEnvironment.detect(Map.of("PMI_RANK", "0", "PMI_SIZE", "1")))
        .hasMessageStartingWith("found 1 rank (mpiexec (Hydra");
  }

  @Test
  void aRankWithoutASizeIsAnError() {
    assertThatThrownBy(() -> RankEnvironment.detect(Map.of("PMI_RANK", "0")))
        .hasMessageContaining("PMI_RANK=0 is set but PMI_SIZE is not");
    assertThatThrownBy(
            () -> RankEnvironment.detect(Map.of("PMIX_RANK", "0", "PMIX_NAMESPACE", "x")))
        .hasMessageContaining("SLURM_NTASKS is not");
  }

  @Test
  void garbageIsReportedByName() {
    assertThatThrownBy(() -> RankEnvironment.detect(Map.of("PMI_RANK", "one", "PMI_SIZE", "3")))
        .hasMessageContaining("PMI_RANK='one' is not a whole number");
    assertThatThrownBy(() -> RankEnvironment.detect(Map.of("PMI_RANK", "3", "PMI_SIZE", "3")))
        .hasMessageContaining("inconsistent rank variables: PMI_RANK=3, PMI_SIZE=3");
  }

  @Test
  void oldSlurmStepIdSpellingCounts() {
    Map<String, String> env = srunTask(0, 3);
    env.remove("SLURM_STEP_ID");
    env.put("SLURM_STEPID", "2");

    assertThat(RankEnvironment.detect(env).rank()).isZero();
  }
}
