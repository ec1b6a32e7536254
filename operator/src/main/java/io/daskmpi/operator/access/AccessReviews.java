package io.daskmpi.operator.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * Asks the API server, as the caller, whether the caller may {@code get} the route's subresource of
 * the DaskMpiJob ({@code daskmpijobs/log}, {@code daskmpijobs/dashboard}): a
 * SelfSubjectAccessReview sent with the caller's own bearer token. One request authenticates and
 * authorizes the caller under the cluster's own RBAC, and the operator needs no right to review
 * others. The operator's client certificate is never presented here, so the answer is about the
 * caller. Answers are kept for {@link #TTL}; only a hash of the token is kept.
 */
public final class AccessReviews implements CallerCheck {
  static final Duration TTL = Duration.ofSeconds(10);
  private static final int MAX_CACHED = 10_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI reviews;
  private final HttpClient http;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Verdict verdict, Instant until) {}

  AccessReviews(URI apiServer, SSLContext tls, Clock clock) {
    this.reviews =
        URI.create(
            apiServer.toString().replaceAll("/+$", "")
                + "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews");
    this.http =
        HttpClient.newBuilder()
            .sslContext(tls)
            // HTTP/2 would share one connection among callers; the API server may end it (GOAWAY)
            // after answering an unknown token, and the next caller's review would fail with it.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    this.clock = clock;
  }

  /** Against the API server of the operator's own client configuration, with its CA trust. */
  public static AccessReviews of(Config config, Clock clock) {
    try {
      SSLContext tls = SSLUtils.sslContext(null, SSLUtils.trustManagers(config));
      return new AccessReviews(URI.create(config.getMasterUrl()), tls, clock);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up TLS to the API server: " + e.getMessage(), e);
    }
  }

  @Override
  public Verdict check(String bearerToken, JobRoute route) {
    String key = hash(bearerToken) + " " + route;
    Instant now = clock.instant();
    Cached hit = cache.get(key);
    if (hit != null && now.isBefore(hit.until())) {
      return hit.verdict();
    }
    Verdict verdict = ask(bearerToken, route);
    if (verdict.outcome() != Outcome.UNAVAILABLE) {
      if (cache.size() >= MAX_CACHED) {
        cache.clear();
      }
      cache.put(key, new Cached(verdict, now.plus(TTL)));
    }
    return verdict;
  }

  private Verdict ask(String token, JobRoute route) {
    var review = JSON.createObjectNode();
    review.put("apiVersion", "authorization.k8s.io/v1");
    review.put("kind", "SelfSubjectAccessReview");
    var attributes = review.putObject("spec").putObject("resourceAttributes");
    attributes.put("namespace", route.namespace());
    attributes.put("verb", "get");
    attributes.put("group", "daskmpi.io");
    attributes.put("resource", "daskmpijobs");
    attributes.put("subresource", route.view().subresource());
    attributes.put("name", route.name());
    HttpRequest request =
        HttpRequest.newBuilder(reviews)
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(review.toString()))
            .build();
    HttpResponse<String> response;
    try {
      response = send(request);
    } catch (IOException e) {
      return new Verdict(
          Outcome.UNAVAILABLE, "the operator cannot reach the API server: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Verdict(Outcome.UNAVAILABLE, "interrupted");
    }
    String what = "get daskmpijobs/" + route.view().subresource() + " of " + route.name();
    return switch (response.statusCode()) {
      case 200, 201 ->
          allowed(response.body())
              ? Verdict.ALLOWED
              : new Verdict(
                  Outcome.FORBIDDEN,
                  "you may not " + what + " in namespace " + route.namespace() + " (RBAC)");
      case 401 ->
          new Verdict(Outcome.UNAUTHENTICATED, "the API server did not accept your token (401)");
      case 403 ->
          new Verdict(
              Outcome.FORBIDDEN, "your token may not even ask the API server what it may do (403)");
      default ->
          new Verdict(
              Outcome.UNAVAILABLE,
              "the API server answered the access review with HTTP " + response.statusCode());
    };
  }

  /** One retry: a pooled connection the server has just closed fails the first send. */
  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
  }

  private static boolean allowed(String body) {
    try {
      JsonNode status = JSON.readTree(body).path("status");
      return status.path("allowed").asBoolean(false) && !status.path("denied").asBoolean(false);
    } catch (IOException e) {
      return false;
    }
  }

  private static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
