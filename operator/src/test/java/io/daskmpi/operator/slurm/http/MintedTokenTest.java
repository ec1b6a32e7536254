package io.daskmpi.operator.slurm.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.daskmpi.operator.slurm.SlurmException;
import io.daskmpi.operator.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens minted from the signing key: Slurm's claims, a valid HS256 signature, renewal in time. */
class MintedTokenTest {
  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-03T10:00:00Z"));

  private Path key(String bytes) throws Exception {
    return Files.write(dir.resolve("jwt_hs256.key"), bytes.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void aTokenCarriesScontrolTokensClaimsAndVerifiesWithTheKey() throws Exception {
    Path key = key("\u0001secret\u00ffkey-bytes");
    String token = new MintedToken(key, "alice", Duration.ofMinutes(30), clock).get();

    String[] parts = token.split("\\.");
    assertThat(parts).hasSize(3);
    assertThat(json(parts[0]).toString()).isEqualTo("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
    JsonNode claims = json(parts[1]);
    assertThat(claims.get("sun").asText()).isEqualTo("alice");
    assertThat(claims.get("iat").asLong()).isEqualTo(clock.instant().getEpochSecond());
    assertThat(claims.get("exp").asLong()).isEqualTo(clock.instant().getEpochSecond() + 1800);

    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Files.readAllBytes(key), "HmacSHA256"));
    byte[] expected = mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(Base64.getUrlDecoder().decode(parts[2])).isEqualTo(expected);
  }

  @Test
  void aTokenIsReusedUntilAThirdOfItsLifetimeIsLeftThenRenewed() throws Exception {
    MintedToken tokens = new MintedToken(key("k"), "alice", Duration.ofMinutes(30), clock);
    String first = tokens.get();

    clock.advance(Duration.ofMinutes(19).plusSeconds(59));
    assertThat(tokens.get()).isSameAs(first);

    clock.advance(Duration.ofSeconds(1));
    String renewed = tokens.get();
    assertThat(renewed).isNotEqualTo(first);
    assertThat(json(renewed.split("\\.")[1]).get("exp").asLong())
        .isEqualTo(clock.instant().plus(Duration.ofMinutes(30)).getEpochSecond());
  }

  @Test
  void aMissingOrEmptyKeyIsAnAuthFailureNamingTheFileOnly() throws Exception {
    Path missing = dir.resolve("absent.key");
    assertThatThrownBy(() -> new MintedToken(missing, "alice", Duration.ofMinutes(30), clock).get())
        .isInstanceOf(SlurmException.Auth.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("no such file");
    Path empty = key("");
    assertThatThrownBy(() -> new MintedToken(empty, "alice", Duration.ofMinutes(30), clock).get())
        .isInstanceOf(SlurmException.Auth.class)
        .hasMessageContaining("is empty");
  }

  @Test
  void aUserNameThatWouldNeedQuotingInTheClaimsIsRefused() throws Exception {
    Path key = key("k");
    assertThatThrownBy(
            () -> new MintedToken(key, "a\",\"sun\":\"root", Duration.ofMinutes(30), clock))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static JsonNode json(String base64url) throws Exception {
    return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(base64url));
  }
}
