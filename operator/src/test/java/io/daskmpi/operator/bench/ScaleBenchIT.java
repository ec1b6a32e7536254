package io.daskmpi.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code dev/bench-scale} at a size CI affords, twice: on a cluster holding only our jobs and on
 * one holding other users' jobs too. What the operator asks of slurmrestd must follow our jobs
 * alone; its steady state writes nothing to the API server.
 */
class ScaleBenchIT {
  private static final int FOREIGN = 400;
  private static final int RESOURCES = 40;

  @Test
  void slurmTrafficFollowsOurJobsNotTheClusters() throws Exception {
    ScaleResult alone = run(0);
    ScaleResult crowded = run(FOREIGN);

    // A job's entry in a full listing is several KB; in a jobs/state answer, about a hundred bytes.
    assertThat(crowded.fullListingBytes())
        .as("one full listing with %d foreign jobs", FOREIGN)
        .isGreaterThan(FOREIGN * 1000L);
    assertThat(crowded.bytesPerPoll()).isLessThan(crowded.fullListingBytes() * 0.01);
    for (ScaleResult r : new ScaleResult[] {alone, crowded}) {
      assertThat(r.polls()).as("polls in the window").isGreaterThanOrEqualTo(2);
      assertThat(r.bytesPerPoll()).isPositive();
      assertThat(r.requestsPerPoll()).isLessThanOrEqualTo(2);
      assertThat(r.apiWritesPerPoll()).as("API writes for unchanged jobs").isZero();
      assertThat(r.heapAfterGcMiB()).isPositive().isLessThanOrEqualTo(256);
      assertThat(r.submitP99Ms()).isPositive();
    }
    assertThat(crowded.bytesPerPoll())
        .as("bytes per poll with %d foreign jobs vs none", FOREIGN)
        .isBetween(alone.bytesPerPoll() * 0.8, alone.bytesPerPoll() * 1.2);
  }

  private static ScaleResult run(int foreign) throws Exception {
    ScaleSettings settings =
        new ScaleSettings(foreign, RESOURCES, 20, Duration.ofSeconds(2), 3, "256m", false, false);
    ScaleResult result = new ScaleBenchmark(settings, System.out).run(r -> {});
    var table = new ByteArrayOutputStream();
    result.print(new PrintStream(table, true, StandardCharsets.UTF_8));
    String printed = table.toString(StandardCharsets.UTF_8);
    System.out.print(printed);
    String last = printed.strip().lines().reduce((a, b) -> b).orElseThrow();
    assertThat(last)
        .matches(
            "bench-scale: foreign="
                + foreign
                + " resources="
                + RESOURCES
                + " bytes_per_poll=\\d+ requests_per_poll=[0-9.]+ submit_p50_ms=\\d+"
                + " submit_p99_ms=\\d+ heap_mb=[0-9.]+");
    return result;
  }
}
