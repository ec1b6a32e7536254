package io.daskmpi.operator.slurm.http;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The parts every slurmrestd response shares: {@code errors[]} and (from v0.0.39) {@code
 * warnings[]}. Used to read error responses of any version.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Envelope(List<Problem> errors, List<Problem> warnings) {
  public static final Envelope EMPTY = new Envelope(List.of(), List.of());

  public Envelope {
    errors = errors == null ? List.of() : List.copyOf(errors);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }
}
