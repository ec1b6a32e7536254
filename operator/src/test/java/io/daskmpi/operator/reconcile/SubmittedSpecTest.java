package io.daskmpi.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobSpec;
import io.daskmpi.operator.api.v1alpha1.Launcher;
import io.daskmpi.operator.submit.Examples;
import org.junit.jupiter.api.Test;

class SubmittedSpecTest {
  private static DaskMpiJobSpec spec() {
    return Examples.load("dask-example-local.yaml").getSpec();
  }

  /**
   * The digest a job's status keeps across operator upgrades: a new spec field with a default must
   * not change it (see {@link SubmittedSpec#ADDED_LATER}), or every running job would report
   * ChangedAfterSubmit after an upgrade. Pinned on purpose: update it only with a reason.
   */
  @Test
  void theDigestOfAnUnchangedSpecSurvivesNewDefaultedFields() {
    assertThat(SubmittedSpec.fixedDigest(spec()))
        .isEqualTo("sha256:" + PINNED_LOCAL_EXAMPLE_DIGEST);
  }

  private static final String PINNED_LOCAL_EXAMPLE_DIGEST =
      "fc3e8a938a0fbf660a5440f3b9c6b2f9d4cb7c1fbfa1fd9b32705f2710044306";

  @Test
  void aLauncherAtItsDefaultDigestsAsIfTheFieldDidNotExist() {
    DaskMpiJobSpec absent = spec();
    absent.setLauncher(null);
    DaskMpiJobSpec defaulted = spec();
    defaulted.setLauncher(Launcher.RUNTIME);
    DaskMpiJobSpec script = spec();
    script.setLauncher(Launcher.SCRIPT);

    assertThat(SubmittedSpec.fixedDigest(defaulted)).isEqualTo(SubmittedSpec.fixedDigest(absent));
    assertThat(SubmittedSpec.fixedDigest(script)).isNotEqualTo(SubmittedSpec.fixedDigest(absent));
  }

  @Test
  void changeableFieldsLeaveTheDigestAndFixedOnesChangeIt() {
    String before = SubmittedSpec.fixedDigest(spec());
    DaskMpiJobSpec edited = spec();
    edited.setSuspend(true);
    edited.setTimeLimit("7m");
    edited.getSlurm().setPartition("other");
    DaskMpiJobSpec moreWorkers = spec();
    moreWorkers.setWorkers(moreWorkers.getWorkers() + 1);

    assertThat(SubmittedSpec.fixedDigest(edited)).isEqualTo(before);
    assertThat(SubmittedSpec.fixedDigest(moreWorkers)).isNotEqualTo(before);
  }
}
