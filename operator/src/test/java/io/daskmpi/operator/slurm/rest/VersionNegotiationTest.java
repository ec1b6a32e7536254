package io.daskmpi.operator.slurm.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.daskmpi.operator.slurm.ApiVersion;
import io.daskmpi.operator.slurm.SlurmException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VersionNegotiationTest {

  @Test
  void picksTheNewestVersionBothSpeak() {
    assertThat(
            VersionNegotiation.choose(List.of("v0.0.38", "v0.0.37", "v0.0.36"), Optional.empty()))
        .isEqualTo(ApiVersion.V0_0_38);
    assertThat(
            VersionNegotiation.choose(List.of("v0.0.42", "v0.0.41", "v0.0.40"), Optional.empty()))
        .isEqualTo(ApiVersion.V0_0_42);
    assertThat(
            VersionNegotiation.choose(
                List.of("v0.0.46", "v0.0.45", "v0.0.44", "v0.0.43"), Optional.empty()))
        .as("a future version we do not speak is passed over")
        .isEqualTo(ApiVersion.V0_0_45);
    assertThat(
            VersionNegotiation.choose(List.of("v0.0.39", "v0.0.38", "v0.0.37"), Optional.empty()))
        .isEqualTo(ApiVersion.V0_0_38);
  }

  @Test
  void honoursAnOfferedOverride() {
    assertThat(
            VersionNegotiation.choose(
                List.of("v0.0.42", "v0.0.41", "v0.0.40"), Optional.of(ApiVersion.V0_0_40)))
        .isEqualTo(ApiVersion.V0_0_40);
  }

  @Test
  void refusesAnOverrideTheServerDoesNotOffer() {
    assertThatThrownBy(
            () -> VersionNegotiation.choose(List.of("v0.0.38"), Optional.of(ApiVersion.V0_0_42)))
        .isInstanceOf(SlurmException.Unsupported.class)
        .hasMessage(
            "slurmrestd does not offer the configured REST API version v0.0.42 (it offers: v0.0.38)");
  }

  @Test
  void saysWhatBothSidesSpeakWhenNothingIsInCommon() {
    assertThatThrownBy(
            () -> VersionNegotiation.choose(List.of("v0.0.37", "v0.0.36"), Optional.empty()))
        .isInstanceOf(SlurmException.Unsupported.class)
        .hasMessageContaining("slurmrestd offers v0.0.37, v0.0.36")
        .hasMessageContaining("this client speaks v0.0.38, v0.0.40");
  }
}
