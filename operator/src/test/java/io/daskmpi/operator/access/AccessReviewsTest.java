package io.daskmpi.operator.access;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.stubFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.verify;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import io.daskmpi.operator.access.CallerCheck.Outcome;
import io.daskmpi.operator.access.JobRoute.View;
import io.daskmpi.operator.testing.ManualClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * The access review as the API server sees it (the real one answers in KubectlPluginIT): the
 * caller's token, the subresource asked about, and what each answer becomes.
 */
@WireMockTest
class AccessReviewsTest {
  private static final String PATH = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
  private static final JobRoute LOG = new JobRoute("team-a", "sum", View.LOG);
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-03T12:00:00Z"));

  private AccessReviews reviews(WireMockRuntimeInfo wm) throws Exception {
    return new AccessReviews(URI.create(wm.getHttpBaseUrl() + "/"), SSLContext.getDefault(), clock);
  }

  private static void answer(int status, String body) {
    stubFor(
        post(urlEqualTo(PATH))
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody(body)));
  }

  @Test
  void theCallersOwnTokenAsksForTheJobsSubresource(WireMockRuntimeInfo wm) throws Exception {
    answer(201, "{\"status\":{\"allowed\":true}}");

    assertThat(reviews(wm).check("alice-token", LOG).outcome()).isEqualTo(Outcome.ALLOWED);

    verify(
        postRequestedFor(urlEqualTo(PATH))
            .withHeader("Authorization", equalTo("Bearer alice-token"))
            .withRequestBody(
                equalToJson(
                    """
                    {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
                     "spec": {"resourceAttributes": {"namespace": "team-a", "verb": "get",
                       "group": "daskmpi.io", "resource": "daskmpijobs", "subresource": "log",
                       "name": "sum"}}}
                    """)));
  }

  @Test
  void eachAnswerBecomesAVerdictWithAMessage(WireMockRuntimeInfo wm) throws Exception {
    answer(201, "{\"status\":{\"allowed\":false}}");
    var denied = reviews(wm).check("bob", LOG);
    answer(201, "{\"status\":{\"allowed\":true,\"denied\":true}}");
    var contradictory = reviews(wm).check("bob", LOG);
    answer(401, "{}");
    var unknown = reviews(wm).check("made-up", LOG);
    answer(500, "{}");
    var broken = reviews(wm).check("alice", LOG);

    assertThat(denied.outcome()).isEqualTo(Outcome.FORBIDDEN);
    assertThat(denied.message())
        .isEqualTo("you may not get daskmpijobs/log of sum in namespace team-a (RBAC)");
    assertThat(contradictory.outcome()).isEqualTo(Outcome.FORBIDDEN);
    assertThat(unknown.outcome()).isEqualTo(Outcome.UNAUTHENTICATED);
    assertThat(broken.outcome()).isEqualTo(Outcome.UNAVAILABLE);
    assertThat(denied.message() + unknown.message() + broken.message()).doesNotContain("bob");
  }

  @Test
  void answersAreKeptBrieflyPerTokenAndView(WireMockRuntimeInfo wm) throws Exception {
    answer(201, "{\"status\":{\"allowed\":true}}");
    AccessReviews reviews = reviews(wm);

    reviews.check("alice", LOG);
    reviews.check("alice", LOG);
    reviews.check("alice", new JobRoute("team-a", "sum", View.DASHBOARD));
    reviews.check("carol", LOG);
    verify(3, postRequestedFor(urlEqualTo(PATH)));

    clock.advance(AccessReviews.TTL.plus(Duration.ofMillis(1)));
    reviews.check("alice", LOG);
    verify(4, postRequestedFor(urlEqualTo(PATH)));
  }

  @Test
  void anUnreachableApiServerIsUnavailableAndNotRemembered() throws Exception {
    AccessReviews reviews =
        new AccessReviews(URI.create("http://127.0.0.1:1"), SSLContext.getDefault(), clock);
    var verdict = reviews.check("alice", LOG);
    assertThat(verdict.outcome()).isEqualTo(Outcome.UNAVAILABLE);
    assertThat(verdict.message()).startsWith("the operator cannot reach the API server");
  }
}
