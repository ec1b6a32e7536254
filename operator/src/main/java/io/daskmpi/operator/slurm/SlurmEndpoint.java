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
 * @param tokenFile file holding the JWT; re-read whenever it changes, so a rotated Secret just
 *     works
 * @param apiVersion the REST API version to use, or empty to pick the newest both sides speak
 * @param timeout connect and read timeout of one request
 */
public record SlurmEndpoint(
    URI url, String user, Path tokenFile, Optional<ApiVersion> apiVersion, Duration timeout) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  public SlurmEndpoint {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(tokenFile, "tokenFile");
    apiVersion = apiVersion == null ? Optional.empty() : apiVersion;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
  }

  public SlurmEndpoint(URI url, String user, Path tokenFile) {
    this(url, user, tokenFile, Optional.empty(), DEFAULT_TIMEOUT);
  }

  public SlurmEndpoint withApiVersion(ApiVersion version) {
    return new SlurmEndpoint(url, user, tokenFile, Optional.of(version), timeout);
  }

  public SlurmEndpoint withTimeout(Duration value) {
    return new SlurmEndpoint(url, user, tokenFile, apiVersion, value);
  }
}
