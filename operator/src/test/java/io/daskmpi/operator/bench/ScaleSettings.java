package io.daskmpi.operator.bench;

import java.time.Duration;

/**
 * One run of {@code dev/bench-scale}.
 *
 * @param foreignJobs other users' held jobs on the cluster
 * @param resources DaskMpiJobs to create
 * @param rate how many to create per second
 * @param pollInterval the operator's poll interval
 * @param polls how many poll intervals the steady state is measured over
 * @param heap the operator JVM's fixed -Xmx
 * @param runOnce also time {@code run -f} of one job to Submitted (median of 3)
 * @param keepForeign leave the foreign jobs for the next run (which then submits only what is
 *     missing: slurmctld takes about 11 submits a second here)
 */
record ScaleSettings(
    int foreignJobs,
    int resources,
    double rate,
    Duration pollInterval,
    int polls,
    String heap,
    boolean runOnce,
    boolean keepForeign) {

  static final String USAGE =
      "usage: dev/bench-scale --foreign-jobs F --resources R [--rate C] [--poll-interval SECONDS]"
          + " [--polls N] [--heap 256m] [--run-f] [--keep-foreign]";

  static ScaleSettings parse(String... args) {
    int foreign = -1;
    int resources = -1;
    double rate = 100;
    Duration poll = Duration.ofSeconds(10);
    int polls = 3;
    String heap = "256m";
    boolean runOnce = false;
    boolean keepForeign = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--run-f")) {
        runOnce = true;
        continue;
      }
      if (a.equals("--keep-foreign")) {
        keepForeign = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(a + " needs a value\n" + USAGE);
      }
      String v = args[++i];
      switch (a) {
        case "--foreign-jobs" -> foreign = Integer.parseInt(v);
        case "--resources" -> resources = Integer.parseInt(v);
        case "--rate" -> rate = Double.parseDouble(v);
        case "--poll-interval" -> poll = Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
        case "--polls" -> polls = Integer.parseInt(v);
        case "--heap" -> heap = v;
        default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
      }
    }
    if (foreign < 0 || resources < 0 || rate <= 0 || polls < 1) {
      throw new IllegalArgumentException(USAGE);
    }
    return new ScaleSettings(foreign, resources, rate, poll, polls, heap, runOnce, keepForeign);
  }
}
