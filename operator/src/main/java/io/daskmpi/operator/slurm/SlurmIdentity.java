package io.daskmpi.operator.slurm;

import java.util.Objects;

/**
 * A Slurm user the operator acts as, and where that user's token comes from.
 *
 * @param user the Slurm user name: jobs submitted with it run as this Unix user
 * @param token the user's JWT: a file, or minted from the cluster's signing key
 */
public record SlurmIdentity(String user, TokenSource token) {
  public SlurmIdentity {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(token, "token");
  }
}
