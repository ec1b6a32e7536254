package io.daskmpi.operator.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ApiVersionTest {

  @Test
  void parsesEveryWrittenForm() {
    assertThat(ApiVersion.parse("v0.0.42")).contains(ApiVersion.V0_0_42);
    assertThat(ApiVersion.parse("0.0.38")).contains(ApiVersion.V0_0_38);
    assertThat(ApiVersion.parse(" V0_0_45 ")).contains(ApiVersion.V0_0_45);
    assertThat(ApiVersion.parse("v0.0.39")).isEmpty();
    assertThat(ApiVersion.parse("latest")).isEmpty();
    assertThat(ApiVersion.parse(null)).isEmpty();
  }

  @Test
  void newestIsTheMaximum() {
    assertThat(Arrays.stream(ApiVersion.values()).max(ApiVersion.byAge()))
        .contains(ApiVersion.V0_0_45);
  }
}
