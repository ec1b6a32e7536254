package io.daskmpi.operator.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExitStatusTest {

  /** Raw wait statuses measured on Slurm 22.05 (slurm-lab.md §3). */
  @ParameterizedTest(name = "wait status {0} -> code {1}, signal {2}")
  @CsvSource(
      nullValues = "-",
      value = {
        "0, 0, -",
        "256, 1, -",
        "768, 3, -",
        "1792, 7, -",
        "2048, 8, -",
        "36608, 143, -",
        "9, -, 9",
        "15, -, 15",
        "137, -, 9", // 0x89: killed by SIGKILL with the core-dump bit set
      })
  void decodesRawWaitStatus(long raw, Integer code, Integer signal) {
    ExitStatus status = ExitStatus.fromWaitStatus(raw);
    assertThat(status.code()).isEqualTo(code);
    assertThat(status.signal()).isEqualTo(signal);
    assertThat(status.isSuccess()).isEqualTo(raw == 0);
  }
}
