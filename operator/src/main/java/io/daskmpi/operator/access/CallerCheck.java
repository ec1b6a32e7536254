package io.daskmpi.operator.access;

/** Whether the holder of a Kubernetes bearer token may see a view of a job. */
public interface CallerCheck {
  /** The answer, with a message for the caller when it is not {@link Outcome#ALLOWED}. */
  record Verdict(Outcome outcome, String message) {
    static final Verdict ALLOWED = new Verdict(Outcome.ALLOWED, "");
  }

  enum Outcome {
    ALLOWED,
    /** The API server did not accept the token (HTTP 401). */
    UNAUTHENTICATED,
    /** The token is valid but may not get this subresource (HTTP 403). */
    FORBIDDEN,
    /** The API server could not be asked (HTTP 503). */
    UNAVAILABLE
  }

  Verdict check(String bearerToken, JobRoute route);
}
