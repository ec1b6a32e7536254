package io.daskmpi.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.api.v1alpha1.DaskMpiJobStatus;
import io.daskmpi.operator.api.v1alpha1.JobAttempt;
import io.daskmpi.operator.api.v1alpha1.SlurmJobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeadlineTest {
  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

  private static DaskMpiJobStatus submitted(String intent, String slurmSubmit) {
    DaskMpiJobStatus s = new DaskMpiJobStatus();
    s.setSubmitRequestedAt(intent);
    SlurmJobStatus slurm = new SlurmJobStatus();
    slurm.setJobId(7L);
    slurm.setSubmitTime(slurmSubmit);
    s.setSlurm(slurm);
    return s;
  }

  @Test
  void itCountsFromTheIntentElseSlurmsSubmitTime() {
    assertThat(Deadline.remaining(submitted("2026-12-03T11:59:00Z", null), 90L, NOW))
        .contains(Duration.ofSeconds(30));
    assertThat(Deadline.remaining(submitted(null, "2026-12-03T11:59:30Z"), 90L, NOW))
        .contains(Duration.ofSeconds(60));
    assertThat(Deadline.remaining(submitted("2026-12-03T11:00:00Z", null), 90L, NOW))
        .as("past: due now")
        .contains(Duration.ZERO);
  }

  @Test
  void aRetryKeepsTheFirstAttemptsClock() {
    DaskMpiJobStatus s = submitted("2026-12-03T11:59:50Z", "2026-12-03T11:59:51Z");
    s.setAttempt(2);
    JobAttempt first = new JobAttempt();
    first.setAttempt(1);
    first.setSubmitTime("2026-12-03T11:58:00Z");
    s.setAttempts(List.of(first));
    assertThat(Deadline.remaining(s, 300L, NOW)).contains(Duration.ofSeconds(180));
  }

  @Test
  void noDeadlineOrNothingSubmittedMeansNone() {
    assertThat(Deadline.remaining(submitted("2026-12-03T11:59:00Z", null), null, NOW)).isEmpty();
    assertThat(Deadline.remaining(new DaskMpiJobStatus(), 60L, NOW)).isEqualTo(Optional.empty());
  }
}
