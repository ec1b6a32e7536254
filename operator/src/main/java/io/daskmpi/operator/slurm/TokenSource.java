package io.daskmpi.operator.slurm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/** Where the JWT that authenticates a user's requests to slurmrestd comes from. */
public sealed interface TokenSource {

  /**
   * A file holding the user's token (a mounted Secret, {@code scontrol token} output), re-read when
   * it changes, so a rotated Secret just works.
   */
  record File(Path path) implements TokenSource {
    public File {
      Objects.requireNonNull(path, "path");
    }
  }

  /**
   * Slurm's JWT signing key ({@code AuthAltParameters=jwt_key=}): the operator mints its own
   * short-lived token for the user, as {@code scontrol token} does, and renews it before it
   * expires. Whoever holds the key can act as any Slurm user.
   */
  record SigningKey(Path keyFile, Duration lifetime) implements TokenSource {
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(30);

    public SigningKey {
      Objects.requireNonNull(keyFile, "keyFile");
      lifetime = lifetime == null ? DEFAULT_LIFETIME : lifetime;
      if (lifetime.compareTo(Duration.ofMinutes(1)) < 0) {
        throw new IllegalArgumentException("token lifetime must be at least a minute: " + lifetime);
      }
    }
  }
}
