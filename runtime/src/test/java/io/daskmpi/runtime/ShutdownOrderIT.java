package io.daskmpi.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The client rank's shutdown against a real Dask scheduler and workers (separate processes, as the
 * ranks are): the workers leave one at a time, before the scheduler. Workers that close together
 * race the scheduler's note to each that another has left, and the loser logs a traceback in a
 * successful job's output; how often depends on timing (about 1 job in 40 on the local Slurm), so
 * this checks the order itself, which does not.
 */
class ShutdownOrderIT {
  private static final Path BASE = LocalSlurm.REPOSITORY.resolve("runtime/src");
  private static final Path HARNESS = BASE.resolve("test/resources/python");
  private static final Path RUNTIME_PYTHON =
      BASE.resolve("main/resources/io/daskmpi/runtime/python");

  @Test
  void workersLeaveOneAtATimeBeforeTheScheduler() {
    ProcessRun run =
        ProcessRun.run(
            List.of(LocalSlurm.PYTHON, HARNESS.resolve("shutdown_order.py").toString(), "4"),
            HARNESS,
            Map.of("PYTHONPATH", RUNTIME_PYTHON + ":" + HARNESS),
            Duration.ofMinutes(2));

    assertThat(run.exitCode()).as("%s", run).isZero();
    assertThat(run.output().lines().filter(line -> line.contains("removed worker")))
        .as("%s", run)
        .hasSize(4)
        .allMatch(line -> line.endsWith("; others closing: none"));
    assertThat(run.output())
        .contains("scheduler exited with 0", "worker 3 exited with 0")
        .doesNotContain("Traceback")
        .doesNotContain(" - ERROR - ");
  }
}
