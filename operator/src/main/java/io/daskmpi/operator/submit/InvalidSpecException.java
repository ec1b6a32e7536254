package io.daskmpi.operator.submit;

import java.util.List;
import java.util.stream.Collectors;

/** A spec that cannot be submitted; the message names every offending field. */
public final class InvalidSpecException extends RuntimeException {
  private final transient List<SpecProblem> problems;

  public InvalidSpecException(List<SpecProblem> problems) {
    super(
        "invalid DaskMpiJob: "
            + problems.stream().map(SpecProblem::toString).collect(Collectors.joining("; ")));
    this.problems = List.copyOf(problems);
  }

  public List<SpecProblem> problems() {
    return problems;
  }
}
