package io.daskmpi.operator.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimeLimitTest {
  @ParameterizedTest(name = "{0} = {1} min")
  @CsvSource({
    "30, 30",
    "1:30, 2",
    "0:59, 1",
    "1:00:00, 60",
    "01:30:00, 90",
    "2-00:00:00, 2880",
    "1-12, 2160",
    "1-0:30, 1470",
    "30s, 1",
    "90s, 2",
    "5m, 5",
    "1h, 60",
    "2d, 2880",
  })
  void slurmFormsAndSuffixes(String text, int minutes) {
    assertThat(TimeLimit.minutes(text)).isEqualTo(minutes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "soon", "1h30m", "-5", "0", "1:2:3:4", "5 m", "1.5h"})
  void rejectsEverythingElse(String text) {
    assertThatThrownBy(() -> TimeLimit.minutes(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
