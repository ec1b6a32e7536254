package io.daskmpi.operator.bench;

import io.daskmpi.operator.slurm.JobSubmission;
import io.daskmpi.operator.slurm.SlurmClient;
import io.daskmpi.operator.testing.LocalSlurm;
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

  /** Submits {@code count} held jobs, 8 at a time, in the partition that never starts one. */
  static void submit(SlurmClient slurm, LocalSlurm cluster, int count) throws Exception {
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
      for (int i = 0; i < count; i++) {
        submits.add(pool.submit(() -> slurm.submit(job)));
      }
      for (Future<?> f : submits) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
