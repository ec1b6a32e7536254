package io.daskmpi.operator.slurm.http;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One entry of a response's {@code errors[]} or {@code warnings[]}. The shape is the same in every
 * version but for the number's name: v0.0.38 uses {@code error_number} or, for submit errors,
 * {@code error_code}; v0.0.36/37 used {@code errno}.
 *
 * @param number the Slurm error number, or null (warnings and some v0.0.38 errors carry none)
 * @param error Slurm's short text for the number
 * @param description what went wrong, in slurmrestd's words
 * @param source where in slurmrestd it was found
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Problem(
    @JsonAlias({"error_number", "error_code", "errno"}) Integer number,
    String error,
    String description,
    String source) {

  /** A one-line human text: description, else error text, with the number. */
  public String text() {
    String what =
        description != null && !description.isBlank()
            ? description
            : (error != null && !error.isBlank() ? error : "(no description)");
    if (error != null && !error.isBlank() && !error.equals(what)) {
      what = error + ": " + what;
    }
    return number == null ? what : what + " [" + number + "]";
  }
}
