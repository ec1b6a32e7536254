package io.daskmpi.operator.submit;

/**
 * One thing wrong with a DaskMpiJob spec.
 *
 * @param field the field's path, e.g. {@code spec.env[2].name}
 * @param message what is wrong with it
 */
public record SpecProblem(String field, String message) {
  @Override
  public String toString() {
    return field + ": " + message;
  }
}
