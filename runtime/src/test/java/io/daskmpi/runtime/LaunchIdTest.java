package io.daskmpi.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LaunchIdTest {
  private static final Map<String, String> SRUN =
      Map.of("SLURM_JOB_ID", "4242", "SLURM_STEP_ID", "3", "SLURM_CLUSTER_NAME", "lab");

  private static LaunchId of(Map<String, String> env, Launcher launcher) {
    return LaunchId.of(env, launcher, Optional.empty(), Optional::empty);
  }

  @Test
  void slurmStepsAreNamedByClusterJobAndStep() {
    assertThat(of(SRUN, Launcher.SRUN)).isEqualTo(new LaunchId("slurm-lab-4242.3", true));
    assertThat(of(SRUN, Launcher.SRUN_PMI2).value()).isEqualTo("slurm-lab-4242.3");
    assertThat(of(Map.of("SLURM_JOB_ID", "7", "SLURM_STEPID", "0"), Launcher.SRUN_PMIX).value())
        .isEqualTo("slurm-7.0");
  }

  @Test
  void hydraIsNamedByItsControlPort() {
    LaunchId id =
        LaunchId.of(SRUN, Launcher.HYDRA, Optional.empty(), () -> Optional.of("vm:37453"));

    // Inside a batch job too: several mpiexec in one job each get their own rendezvous.
    assertThat(id).isEqualTo(new LaunchId("hydra-vm_37453", true));
  }

  @Test
  void hydraControlPortFromTheProxyCommandLine() {
    String proxy =
        "/usr/bin/hydra_pmi_proxy --control-port vm:37453 --rmk user --launcher ssh --demux poll"
            + " --pgid 0 --retries 10 --usize -2 --proxy-id 0";

    assertThat(LaunchId.hydraControlPort(proxy)).contains("vm:37453");
    assertThat(LaunchId.hydraControlPort("/bin/bash --control-port x:1")).isEmpty();
    assertThat(LaunchId.hydraControlPort("/usr/bin/hydra_pmi_proxy")).isEmpty();
  }

  @Test
  void pmixAndOpenMpiUseTheNamespace() {
    Map<String, String> env = Map.of("PMIX_NAMESPACE", "prterun-vm-4242@1");

    assertThat(of(env, Launcher.OPEN_MPI).value()).isEqualTo("mpi-prterun-vm-4242_1");
    assertThat(of(env, Launcher.PMIX).value()).isEqualTo("mpi-prterun-vm-4242_1");
  }

  @Test
  void anExplicitIdWinsAndIsMadePathSafe() {
    LaunchId id = LaunchId.of(SRUN, Launcher.SRUN, Optional.of("../my run/1"), Optional::empty);

    assertThat(id).isEqualTo(new LaunchId(".._my_run_1", true));
    assertThat(LaunchId.of(SRUN, Launcher.SRUN, Optional.of(".."), Optional::empty).value())
        .isEqualTo("_");
  }

  @Test
  void withoutAnyIdTheLaunchIsNotUnique() {
    assertThat(of(Map.of(), Launcher.HYDRA)).isEqualTo(new LaunchId("launch", false));
    assertThat(of(Map.of("SLURM_JOB_ID", "1"), Launcher.SRUN).unique()).isFalse();
  }
}
