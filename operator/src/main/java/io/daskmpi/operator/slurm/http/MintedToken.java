package io.daskmpi.operator.slurm.http;

import io.daskmpi.operator.slurm.SlurmException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens for one Slurm user, signed with the cluster's HS256 key the way {@code scontrol token}
 * signs them ({@code {"exp":…,"iat":…,"sun":"user"}}). A token is reused until a third of its
 * lifetime is left, then a new one is minted, so a request never carries one about to expire. The
 * key is read when a token is minted (a rotated key is picked up by the next renewal) and neither
 * it nor a token ever appears in a message.
 */
public final class MintedToken implements Supplier<String> {
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
  private static final String HEADER =
      BASE64URL.encodeToString(
          "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

  private final Path keyFile;
  private final String user;
  private final Duration lifetime;
  private final Clock clock;
  private String token;
  private Instant renewAt = Instant.MIN;

  public MintedToken(Path keyFile, String user, Duration lifetime, Clock clock) {
    if (!user.matches("[A-Za-z0-9._-]+")) {
      // It goes into the JSON claims as it is: no quoting needed, none possible to get wrong.
      throw new IllegalArgumentException("not a Slurm user name: '" + user + "'");
    }
    this.keyFile = keyFile;
    this.user = user;
    this.lifetime = lifetime;
    this.clock = clock;
  }

  @Override
  public synchronized String get() {
    Instant now = clock.instant();
    if (token == null || !now.isBefore(renewAt)) {
      token = mint(now);
      renewAt = now.plus(lifetime.multipliedBy(2).dividedBy(3));
    }
    return token;
  }

  private String mint(Instant now) {
    long iat = now.getEpochSecond();
    long exp = now.plus(lifetime).getEpochSecond();
    String claims = "{\"exp\":" + exp + ",\"iat\":" + iat + ",\"sun\":\"" + user + "\"}";
    String signed =
        HEADER + "." + BASE64URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key(), "HmacSHA256"));
      byte[] signature = mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
      return signed + "." + BASE64URL.encodeToString(signature);
    } catch (GeneralSecurityException e) {
      throw failure("cannot sign a token for " + user + " with the key " + keyFile, e);
    }
  }

  private byte[] key() {
    byte[] key;
    try {
      key = Files.readAllBytes(keyFile);
    } catch (IOException e) {
      throw failure(
          "cannot read the JWT signing key "
              + keyFile
              + ": "
              + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.toString()),
          e);
    }
    if (key.length == 0) {
      throw failure("the JWT signing key " + keyFile + " is empty", null);
    }
    return key;
  }

  private static SlurmException failure(String message, Throwable cause) {
    return new SlurmException.Auth(message, 0, List.of(), cause);
  }
}
