package io.daskmpi.operator.access;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The request line and headers of one HTTP/1.1 request, read within fixed limits: the access API
 * takes GETs without a body, so nothing else is read before the answer.
 */
record RequestHead(
    String method, String path, Map<String, String> query, Map<String, String> headers) {
  static final int MAX_LINE = 8 * 1024;
  static final int MAX_HEADERS = 64;

  /** A request this server cannot parse; its message is safe to send back. */
  static final class Malformed extends IOException {
    Malformed(String message) {
      super(message);
    }
  }

  /** Reads a head that must be complete by {@code deadline} ({@link System#nanoTime()}). */
  static RequestHead read(InputStream in, long deadline) throws IOException {
    String requestLine = line(in, deadline);
    String[] parts = requestLine.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw new Malformed("not an HTTP/1.x request line");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = line(in, deadline); !line.isEmpty(); line = line(in, deadline)) {
      int colon = line.indexOf(':');
      if (colon <= 0 || headers.size() >= MAX_HEADERS) {
        throw new Malformed("bad or too many header lines");
      }
      headers.put(
          line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).strip());
    }
    String target = parts[1];
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    return new RequestHead(
        parts[0], path, q < 0 ? Map.of() : query(target.substring(q + 1)), headers);
  }

  Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The token of an {@code Authorization: Bearer} header. */
  Optional<String> bearerToken() {
    return header("authorization")
        .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(v -> v.substring(7).strip())
        .filter(t -> !t.isEmpty());
  }

  private static Map<String, String> query(String text) throws Malformed {
    Map<String, String> query = new LinkedHashMap<>();
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        query.put(
            URLDecoder.decode(key, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new Malformed("a query parameter is not URL-encoded");
      }
    }
    return query;
  }

  private static String line(InputStream in, long deadline) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new Malformed("the request ended early");
      }
      if (System.nanoTime() - deadline > 0) {
        throw new Malformed("the request head took too long");
      }
      if (line.size() >= MAX_LINE) {
        throw new Malformed("a request line or header is longer than " + MAX_LINE + " bytes");
      }
      line.write(b);
    }
    String text = line.toString(StandardCharsets.ISO_8859_1);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }
}
