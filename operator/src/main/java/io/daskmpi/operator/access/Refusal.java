package io.daskmpi.operator.access;

/** A request the access API answers with an error status and a message for the caller. */
final class Refusal extends Exception {
  private final int status;

  Refusal(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }
}
