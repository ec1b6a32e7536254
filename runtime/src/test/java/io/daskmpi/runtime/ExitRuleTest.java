package io.daskmpi.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The launch's exit code is the client's; the other ranks only add a failure nobody reported. */
class ExitRuleTest {
  private static final OptionalInt NONE = OptionalInt.empty();

  private static OptionalInt code(int value) {
    return OptionalInt.of(value);
  }

  @Test
  void schedulerAfterTheClientFinished() {
    assertThat(ExitRule.scheduler(0, false, code(7))).isEqualTo(ExitRule.Verdict.ok());
    // Stopped by the runtime after lingering, or SIGTERMed by srun --kill-on-bad-exit: still 0.
    assertThat(ExitRule.scheduler(137, true, code(0))).isEqualTo(ExitRule.Verdict.ok());
    // Died on its own while the client was ending: say so, but leave the exit code to the client.
    ExitRule.Verdict crashed = ExitRule.scheduler(137, false, code(1));
    assertThat(crashed.exitCode()).isZero();
    assertThat(crashed.error().orElseThrow()).contains("the scheduler exited with code 137");
  }

  @Test
  void schedulerWithoutAClientVerdict() {
    // The script called client.shutdown() or dask_mpi.send_close_signal().
    assertThat(ExitRule.scheduler(0, false, NONE)).isEqualTo(ExitRule.Verdict.ok());
    assertThat(ExitRule.scheduler(1, false, NONE).exitCode()).isEqualTo(1);
    assertThat(ExitRule.scheduler(1, false, NONE).error()).isPresent();
  }

  @Test
  void worker() {
    assertThat(ExitRule.worker(0, code(7), code(0))).isEqualTo(ExitRule.Verdict.ok());
    assertThat(ExitRule.worker(143, code(7), NONE)).isEqualTo(ExitRule.Verdict.ok());
    assertThat(ExitRule.worker(0, NONE, code(0))).isEqualTo(ExitRule.Verdict.ok());

    ExitRule.Verdict schedulerDied = ExitRule.worker(0, NONE, code(137));
    assertThat(schedulerDied.exitCode()).isEqualTo(1);
    assertThat(schedulerDied.error().orElseThrow())
        .contains("the scheduler (rank 0) exited with code 137 before the client finished");

    assertThat(ExitRule.worker(0, NONE, NONE).exitCode()).isEqualTo(1);
    assertThat(ExitRule.worker(3, NONE, NONE).exitCode()).isEqualTo(3);
    assertThat(ExitRule.worker(3, NONE, NONE).error().orElseThrow())
        .contains("the worker exited with code 3");
  }

  @Test
  void clientIsTheScriptsCodeAsRecordedOrTheProcesssIfItDied() {
    assertThat(ExitRule.client(0, code(7)).exitCode()).isEqualTo(7);
    assertThat(ExitRule.client(137, code(0)).exitCode()).isZero();
    assertThat(ExitRule.client(3, NONE).exitCode()).isEqualTo(3);
  }
}
