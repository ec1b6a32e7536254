package io.daskmpi.operator.slurm;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

/** The slurmrestd REST API versions this client speaks, oldest first. */
public enum ApiVersion {
  V0_0_38("v0.0.38"),
  V0_0_40("v0.0.40"),
  V0_0_41("v0.0.41"),
  V0_0_42("v0.0.42"),
  V0_0_43("v0.0.43"),
  V0_0_44("v0.0.44"),
  V0_0_45("v0.0.45");

  private final String label;

  ApiVersion(String label) {
    this.label = label;
  }

  /** The version as it appears in URLs, e.g. {@code v0.0.42}. */
  public String label() {
    return label;
  }

  /** Accepts {@code v0.0.42}, {@code 0.0.42} or {@code V0_0_42}. */
  public static Optional<ApiVersion> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String wanted = text.trim();
    String normalized = wanted.startsWith("v") ? wanted : "v" + wanted;
    return Arrays.stream(values())
        .filter(v -> v.label.equals(normalized) || v.name().equalsIgnoreCase(wanted))
        .findFirst();
  }

  /** Orders versions by age, newest last, so {@code max} picks the newest. */
  public static Comparator<ApiVersion> byAge() {
    return Comparator.comparingInt(Enum::ordinal);
  }

  @Override
  public String toString() {
    return label;
  }
}
