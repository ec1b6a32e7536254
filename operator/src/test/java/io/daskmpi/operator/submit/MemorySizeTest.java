package io.daskmpi.operator.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MemorySizeTest {
  @ParameterizedTest(name = "{0} = {1} MiB")
  @CsvSource({
    "512Mi, 512",
    "1Gi, 1024",
    "1.5Gi, 1536",
    "2G, 2048",
    "500M, 500",
    "100, 100",
    "1Ti, 1048576",
    "1536Ki, 2"
  })
  void quantities(String text, long mib) {
    assertThat(MemorySize.mebibytes(text)).isEqualTo(mib);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "lots", "1GB", "-1Gi", "1 Gi", "0"})
  void rejectsEverythingElse(String text) {
    assertThatThrownBy(() -> MemorySize.mebibytes(text))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
