package io.daskmpi.operator.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestHeadTest {
  private static RequestHead read(String text) throws IOException {
    return RequestHead.read(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)),
        System.nanoTime() + 60_000_000_000L);
  }

  @Test
  void aGetWithQueryAndBearerToken() throws IOException {
    RequestHead h =
        read(
            "GET /v1/namespaces/a/daskmpijobs/b/log?follow=true&rank=1&x=%20y HTTP/1.1\r\n"
                + "Host: op\r\nauthorization: bearer  abc.def \r\n\r\nrest-not-read");
    assertThat(h.method()).isEqualTo("GET");
    assertThat(h.path()).isEqualTo("/v1/namespaces/a/daskmpijobs/b/log");
    assertThat(h.query()).isEqualTo(Map.of("follow", "true", "rank", "1", "x", " y"));
    assertThat(h.bearerToken()).contains("abc.def");
    assertThat(h.header("HOST")).contains("op");
  }

  @Test
  void noOrAnotherAuthorizationIsNoToken() throws IOException {
    assertThat(read("GET / HTTP/1.1\n\n").bearerToken()).isEmpty();
    assertThat(read("GET / HTTP/1.1\nAuthorization: Basic eDp5\n\n").bearerToken()).isEmpty();
    assertThat(read("GET / HTTP/1.1\nAuthorization: Bearer \n\n").bearerToken()).isEmpty();
  }

  @Test
  void malformedOrOversizedRequestsAreRefused() {
    assertThatThrownBy(() -> read("hello\r\n\r\n")).isInstanceOf(RequestHead.Malformed.class);
    assertThatThrownBy(() -> read("GET / HTTP/1.1\r\nno colon\r\n\r\n"))
        .isInstanceOf(RequestHead.Malformed.class);
    assertThatThrownBy(() -> read("GET / HTTP/1.1\r\nHost: x\r\n"))
        .hasMessageContaining("ended early");
    assertThatThrownBy(() -> read("GET /" + "a".repeat(RequestHead.MAX_LINE) + " HTTP/1.1\r\n\r\n"))
        .hasMessageContaining("longer than");
    StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\n");
    for (int i = 0; i <= RequestHead.MAX_HEADERS; i++) {
      many.append("X-").append(i).append(": v\r\n");
    }
    assertThatThrownBy(() -> read(many + "\r\n")).hasMessageContaining("too many");
    assertThatThrownBy(() -> read("GET /?rank=%zz HTTP/1.1\r\n\r\n"))
        .hasMessageContaining("not URL-encoded");
    assertThatThrownBy(
            () ->
                RequestHead.read(
                    new ByteArrayInputStream(
                        "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
                    System.nanoTime() - 1))
        .hasMessageContaining("took too long");
  }
}
