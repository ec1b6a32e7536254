package io.daskmpi.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FinishedJobExpiryTest {
  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

  @ParameterizedTest(name = "{0} finished at {1}, ttl {2} -> {3}")
  @CsvSource(
      nullValues = "-",
      value = {
        // phase, completionTime, ttl seconds, remaining seconds (- = never)
        "Running,   -,                    60, -",
        "Succeeded, 2026-12-03T11:59:00Z, -,  -",
        "Succeeded, 2026-12-03T11:59:00Z, 600, 540",
        "Failed,    2026-12-03T11:59:00Z, 60, 0",
        "Cancelled, 2026-12-03T11:00:00Z, 0,  0",
        "Unknown,   2026-12-03T12:00:00Z, 30, 30",
        "Succeeded, -,                    30, -",
      })
  void aFinishedResourceExpiresItsTtlAfterItsCompletion(
      Phase phase, String completion, Long ttl, Long remaining) {
    DaskMpiJobStatus s = new DaskMpiJobStatus();
    s.setPhase(phase);
    s.setCompletionTime(completion);
    assertThat(FinishedJobExpiry.remaining(s, ttl, NOW))
        .isEqualTo(Optional.ofNullable(remaining).map(Duration::ofSeconds));
  }
}
