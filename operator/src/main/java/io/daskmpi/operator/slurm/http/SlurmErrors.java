package io.daskmpi.operator.slurm.http;

import io.daskmpi.operator.slurm.SlurmException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one place that turns a failed slurmrestd answer into a {@link SlurmException}. It goes by the
 * Slurm error numbers first and the HTTP status second, because the same problem has different
 * statuses across versions: an unknown job is 500 on 22.05 and 404 later; a bad token is 500 on
 * 22.05 and 511 from 24.11.
 */
public final class SlurmErrors {
  static final int INVALID_JOB_ID = 2017;
  private static final Set<Integer> AUTH_ERRORS = Set.of(1007, 6000, 6001);
  // Transport trouble between slurmrestd and slurmctld/slurmdbd: the 1000s and 5000s, 7000 (DB).
  private static final Set<Integer> UNAVAILABLE_ERRORS = Set.of(1000, 1001, 5000, 5004, 5005, 7000);

  /**
   * Slurm error numbers that say the request itself is wrong, so that sending it again cannot help:
   * slurmctld's job-request errors (ESLURM_*, 2000-2199: bad partition, account, QOS, time limit,
   * missing script...) and slurmrestd's parsing errors (9000-9299). slurmrestd answers them with
   * 500 as often as with 4xx. A 5xx with any other number is not taken as a refusal: it may be a
   * passing failure, and a refusal by mistake would end a job for good.
   */
  static boolean isRequestError(int number) {
    return (number >= 2000 && number < 2200 && number != INVALID_JOB_ID)
        || (number >= 9000 && number < 9300);
  }

  private SlurmErrors() {}

  /**
   * Classifies a reply that failed: a non-2xx status, or a 2xx whose {@code errors[]} is not empty.
   *
   * @param action what was being done, for the message (e.g. "submit job")
   */
  public static SlurmException classify(String action, HttpReply reply, Envelope envelope) {
    List<Integer> numbers =
        envelope.errors().stream().map(Problem::number).filter(Objects::nonNull).toList();
    int status = reply.status();
    String message = message(action, reply, envelope);

    if (status == 401 || status == 511 || numbers.stream().anyMatch(AUTH_ERRORS::contains)) {
      return new SlurmException.Auth(message, status, numbers, null);
    }
    if (numbers.contains(INVALID_JOB_ID)) {
      return new SlurmException.NotFound(message, status, numbers);
    }
    if (isAuthOn2205(status, envelope)) {
      return new SlurmException.Auth(
          message
              + " (Slurm 22.05 reports a bad, expired or mismatched token this way; check the token,"
              + " and that slurmctld runs)",
          status,
          numbers,
          null);
    }
    if (status == 502
        || status == 503
        || status == 504
        || numbers.stream().anyMatch(UNAVAILABLE_ERRORS::contains)
        || (status >= 500 && numbers.stream().noneMatch(SlurmErrors::isRequestError))) {
      return new SlurmException.Unavailable(message, status, numbers, null);
    }
    if (status == 404 && !reply.isJson()) {
      // Not Slurm's answer about a job but the server's about the path: most likely the version
      // this client negotiated is no longer loaded (slurmrestd upgraded or restarted).
      return new SlurmException.Unsupported(
          message
              + " (the server does not serve this path: is this REST API version still loaded?)",
          status);
    }
    if (status == 400
        || status == 413
        || status == 415
        || status == 422
        || status >= 500
        || reply.isSuccess()) {
      return new SlurmException.Rejected(message, status, numbers);
    }
    return new SlurmException.Protocol(message, status, null);
  }

  /**
   * 22.05 answers a request whose token slurmctld refuses with 500 and only the generic error -1
   * ("slurmctld config is unable to load", "Failed while looking for jobs"): the RPC failed
   * authentication, and slurmrestd 22.05 does not pass the reason on.
   */
  private static boolean isAuthOn2205(int status, Envelope envelope) {
    return status == 500
        && !envelope.errors().isEmpty()
        && envelope.errors().stream().allMatch(p -> Objects.equals(p.number(), -1));
  }

  private static String message(String action, HttpReply reply, Envelope envelope) {
    String detail;
    if (!envelope.errors().isEmpty()) {
      detail = envelope.errors().stream().map(Problem::text).collect(Collectors.joining("; "));
    } else if (!reply.isJson() && reply.body().length > 0) {
      detail = reply.textSnippet();
    } else {
      detail = "no error details in the response";
    }
    return action
        + " failed: HTTP "
        + reply.status()
        + " from "
        + reply.method()
        + " "
        + reply.path()
        + ": "
        + detail;
  }
}
