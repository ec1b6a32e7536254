package io.daskmpi.operator.slurm;

import java.util.List;

/**
 * Anything that went wrong talking to Slurm. The subclasses say what kind of wrong, and {@link
 * #isRetriable()} whether the same request may succeed later without anyone changing anything.
 */
public abstract sealed class SlurmException extends RuntimeException
    permits SlurmException.Unavailable,
        SlurmException.Auth,
        SlurmException.NotFound,
        SlurmException.Rejected,
        SlurmException.Protocol,
        SlurmException.Unsupported {

  private final int httpStatus;
  private final List<Integer> slurmErrors;

  protected SlurmException(
      String message, int httpStatus, List<Integer> slurmErrors, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.slurmErrors = List.copyOf(slurmErrors);
  }

  /** The HTTP status, or 0 when no response came. */
  public int httpStatus() {
    return httpStatus;
  }

  /** Slurm error numbers from the body's {@code errors[]}, in order. */
  public List<Integer> slurmErrors() {
    return slurmErrors;
  }

  public abstract boolean isRetriable();

  /**
   * The cause as a condition reason (CamelCase), e.g. {@code SlurmUnavailable}: what a status shows
   * while the operator cannot learn the job's state.
   */
  public abstract String reason();

  /** slurmrestd or slurmctld cannot be reached or is overloaded; try again later. */
  public static final class Unavailable extends SlurmException {
    public Unavailable(String message, int httpStatus, List<Integer> errors, Throwable cause) {
      super(message, httpStatus, errors, cause);
    }

    @Override
    public boolean isRetriable() {
      return true;
    }

    @Override
    public String reason() {
      return "SlurmUnavailable";
    }
  }

  /** The token is missing, malformed, expired or not valid for the user. */
  public static final class Auth extends SlurmException {
    public Auth(String message, int httpStatus, List<Integer> errors, Throwable cause) {
      super(message, httpStatus, errors, cause);
    }

    @Override
    public boolean isRetriable() {
      return false;
    }

    @Override
    public String reason() {
      return "SlurmAuthFailed";
    }
  }

  /** slurmctld does not know the job (never existed, or purged after MinJobAge). */
  public static final class NotFound extends SlurmException {
    public NotFound(String message, int httpStatus, List<Integer> errors) {
      super(message, httpStatus, errors, null);
    }

    @Override
    public boolean isRetriable() {
      return false;
    }

    @Override
    public String reason() {
      return "SlurmJobNotFound";
    }
  }

  /** Slurm refused the request itself: bad partition, bad field, missing script and so on. */
  public static final class Rejected extends SlurmException {
    public Rejected(String message, int httpStatus, List<Integer> errors) {
      super(message, httpStatus, errors, null);
    }

    @Override
    public boolean isRetriable() {
      return false;
    }

    @Override
    public String reason() {
      return "SlurmRejected";
    }
  }

  /** The server's answer makes no sense to this client: malformed JSON or an unexpected shape. */
  public static final class Protocol extends SlurmException {
    public Protocol(String message, int httpStatus, Throwable cause) {
      super(message, httpStatus, List.of(), cause);
    }

    @Override
    public boolean isRetriable() {
      return false;
    }

    @Override
    public String reason() {
      return "SlurmProtocolError";
    }
  }

  /** The server offers no REST API version this client speaks, or not the configured one. */
  public static final class Unsupported extends SlurmException {
    public Unsupported(String message) {
      this(message, 0);
    }

    public Unsupported(String message, int httpStatus) {
      super(message, httpStatus, List.of(), null);
    }

    @Override
    public boolean isRetriable() {
      return false;
    }

    @Override
    public String reason() {
      return "SlurmApiUnsupported";
    }
  }
}
