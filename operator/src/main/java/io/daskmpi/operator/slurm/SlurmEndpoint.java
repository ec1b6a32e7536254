package io.daskmpi.operator.slurm;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and as whom to reach one slurmrestd.
 *
 * @param url base URL, e.g. {@code http://slurm-rest:6820}
 * @param user the Slurm user name sent as {@code X-SLURM-USER-NAME}
 * @param token where the user's JWT comes from: a file, or the cluster's signing key
 * @param apiVersion the REST API version to use, or empty to pick the newest both sides speak
 * @param timeout connect and read timeout of one request
 */
public record SlurmEndpoint(
    URI url, String user, TokenSource token, Optional<ApiVersion> apiVersion, Duration timeout) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  public SlurmEndpoint {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(token, "token");
    apiVersion = apiVersion == null ? Optional.empty() : apiVersion;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
  }

  /** With the token in a file. */
  public SlurmEndpoint(
      URI url, String user, Path tokenFile, Optional<ApiVersion> apiVersion, Duration timeout) {
    this(url, user, new TokenSource.File(tokenFile), apiVersion, timeout);
  }

  public SlurmEndpoint(URI url, String user, Path tokenFile) {
    this(url, user, tokenFile, Optional.empty(), DEFAULT_TIMEOUT);
  }

  public SlurmEndpoint withApiVersion(ApiVersion version) {
    return new SlurmEndpoint(url, user, token, Optional.of(version), timeout);
  }

  public SlurmEndpoint withTimeout(Duration value) {
    return new SlurmEndpoint(url, user, token, apiVersion, value);
  }
}
