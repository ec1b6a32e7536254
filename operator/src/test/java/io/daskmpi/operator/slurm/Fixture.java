package io.daskmpi.operator.slurm;

import io.daskmpi.operator.slurm.http.HttpReply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real slurmrestd request/response capture from the test resources ({@code slurmrestd/}, see its
 * README): the response body and the status and request line recorded beside it.
 */
public final class Fixture {
  private static final Pattern STATUS = Pattern.compile("HTTP-STATUS: (\\d+)");
  private static final Pattern CONTENT_TYPE = Pattern.compile("(?im)^Content-Type: *(.+)$");

  private Fixture() {}

  public static Path root() {
    URL captures = Fixture.class.getResource("/slurmrestd");
    if (captures == null) {
      throw new IllegalStateException("no slurmrestd/ captures on the test classpath");
    }
    try {
      return Path.of(captures.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Loads a capture.
   *
   * @param location {@code 22.05} or {@code 24.11/v0.0.41}
   * @param name the scenario, e.g. {@code job-failed}
   */
  public static HttpReply load(String location, String name) {
    Path dir = root().resolve(location);
    try {
      String http = Files.readString(dir.resolve(name + ".http.txt"));
      Path bodyFile = dir.resolve(name + ".response.json");
      byte[] body = Files.exists(bodyFile) ? Files.readAllBytes(bodyFile) : new byte[0];
      String[] request = http.lines().findFirst().orElse("GET /").split(" ");
      Matcher status = STATUS.matcher(http);
      Matcher type = CONTENT_TYPE.matcher(http);
      return new HttpReply(
          request[0],
          URI.create(request[1]).getPath(),
          status.find() ? Integer.parseInt(status.group(1)) : 200,
          type.find() ? type.group(1).strip() : "",
          body);
    } catch (IOException e) {
      throw new UncheckedIOException("fixture " + location + "/" + name, e);
    }
  }

  /** Just the body: {@code NAME.response.json}, or {@code NAME.json} for captures without one. */
  public static byte[] body(String location, String name) {
    Path dir = root().resolve(location);
    Path file = dir.resolve(name + ".response.json");
    try {
      return Files.readAllBytes(Files.exists(file) ? file : dir.resolve(name + ".json"));
    } catch (IOException e) {
      throw new UncheckedIOException("fixture " + location + "/" + name, e);
    }
  }
}
