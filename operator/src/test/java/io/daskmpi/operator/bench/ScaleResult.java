package io.daskmpi.operator.bench;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What one run measured. Per-poll figures are deltas over the measured window divided by the number
 * of {@code jobs/state} queries the operator made in it (one per poll interval).
 */
record ScaleResult(
    ScaleSettings settings,
    String slurm,
    long fullListingBytes,
    double fullListingSeconds,
    double polls,
    double bytesPerPoll,
    double requestsPerPoll,
    double apiWritesPerPoll,
    double cpuSecondsPerPoll,
    long submitP50Ms,
    long submitP99Ms,
    double slurmSubmitMeanMs,
    double slurmSubmitMaxMs,
    double heapAfterGcMiB,
    double rssMiB,
    long runOnceMs) {

  /** The table, then exactly one summary line, last. */
  void print(PrintStream out) {
    ScaleSettings s = settings;
    out.printf(
        Locale.ROOT,
        "bench-scale: %s, operator jar -Xmx%s, poll interval %ss, steady state over %.0f polls%n",
        slurm,
        s.heap(),
        s.pollInterval().toMillis() / 1000.0,
        polls);
    row(out, "foreign (held) jobs", String.format(Locale.ROOT, "%,d", s.foreignJobs()));
    row(
        out,
        "DaskMpiJobs",
        String.format(Locale.ROOT, "%,d created at %.0f/s", s.resources(), s.rate()));
    row(
        out,
        "one full listing (GET /jobs)",
        String.format(Locale.ROOT, "%,d B in %.2f s", fullListingBytes, fullListingSeconds));
    row(
        out,
        "slurmrestd bytes per poll",
        String.format(
            Locale.ROOT,
            "%,.0f B (%.3f %% of a full listing)",
            bytesPerPoll,
            100.0 * bytesPerPoll / Math.max(1, fullListingBytes)));
    row(out, "slurmrestd requests per poll", String.format(Locale.ROOT, "%.1f", requestsPerPoll));
    row(
        out,
        "create -> Slurm job id p50 / p99",
        String.format(Locale.ROOT, "%d / %d ms", submitP50Ms, submitP99Ms));
    row(
        out,
        "  of which slurmrestd mean / max",
        String.format(Locale.ROOT, "%.0f / %.0f ms", slurmSubmitMeanMs, slurmSubmitMaxMs));
    row(out, "API writes per poll (steady)", String.format(Locale.ROOT, "%.1f", apiWritesPerPoll));
    row(
        out,
        "operator heap after GC / RSS",
        String.format(Locale.ROOT, "%.1f / %.1f MiB", heapAfterGcMiB, rssMiB));
    row(out, "operator CPU per poll", String.format(Locale.ROOT, "%.3f s", cpuSecondsPerPoll));
    if (runOnceMs >= 0) {
      row(out, "run -f: start -> Submitted", runOnceMs + " ms (median of 3)");
    }
    out.printf(
        Locale.ROOT,
        "bench-scale: foreign=%d resources=%d bytes_per_poll=%.0f requests_per_poll=%.1f"
            + " submit_p50_ms=%d submit_p99_ms=%d heap_mb=%.1f%n",
        s.foreignJobs(),
        s.resources(),
        bytesPerPoll,
        requestsPerPoll,
        submitP50Ms,
        submitP99Ms,
        heapAfterGcMiB);
  }

  private static void row(PrintStream out, String what, String value) {
    out.printf(Locale.ROOT, "  %-34s %s%n", what, value);
  }
}
