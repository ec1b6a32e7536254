package io.daskmpi.operator.bench;

import io.daskmpi.operator.slurm.JobSubmission;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.testing.LocalSlurm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Other users' jobs: held batch jobs of a realistic size (a script, an environment), which every
 * full listing of the cluster carries and which the operator must not pay for.
 */
final class ForeignJobs {
  static final String NAME = "daskmpi-bench-foreign";

  private ForeignJobs() {}

  /**
   * Brings the held foreign jobs in the partition that never starts one up to {@code count} (an
   * earlier run may have left some), submitting 8 at a time; how many it submitted.
   */
  static int submit(SlurmClient slurm, LocalSlurm cluster, int count) throws Exception {
    int present =
        (int)
            cluster
                .exec(
                    Duration.ofMinutes(2),
                    "squeue",
                    "-h",
                    "-p",
                    ScaleBenchmark.PARKED,
                    "-n",
                    NAME,
                    "-t",
                    "PD",
                    "-o",
                    "%i")
                .lines()
                .filter(l -> !l.isBlank())
                .count();
    int missing = Math.max(0, count - present);
    JobSubmission job =
        JobSubmission.builder(
                NAME,
                "#!/bin/bash\n# someone else's simulation\nsrun ./simulate --steps 100000\n",
                4,
                cluster.workDir())
            .standardOutput(cluster.workDir() + "/foreign-%j.out")
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("LANG", "C.UTF-8")
            .env("OMP_NUM_THREADS", "1")
            .partition(ScaleBenchmark.PARKED)
            .hold(true)
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> submits = new ArrayList<>();
      for (int i = 0; i < missing; i++) {
        submits.add(pool.submit(() -> slurm.submit(job)));
      }
      for (Future<?> f : submits) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return missing;
  }

  /** Cancels what waits in the parked partition, the foreign jobs too unless they are kept. */
  static void cancelParked(LocalSlurm cluster, boolean keepForeign) {
    String which = keepForeign ? "$2 != \"" + NAME + "\"" : "1";
    cluster.exec(
        Duration.ofMinutes(5),
        "bash",
        "-c",
        "squeue -h -p "
            + ScaleBenchmark.PARKED
            + " -o '%i %j' | awk '"
            + which
            + " { print $1 }' | xargs -r scancel");
  }
}
