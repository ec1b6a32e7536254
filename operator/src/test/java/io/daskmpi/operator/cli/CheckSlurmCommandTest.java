package io.daskmpi.operator.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import com.github.tomakehurst.wiremock.junit5.WireMockTest;
import io.daskmpi.operator.DaskMpiOperator;
import io.daskmpi.operator.slurm.Fixture;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code check-slurm} in-process against a server that replays real 24.11 answers. */
@WireMockTest
class CheckSlurmCommandTest {
  private static final String V42 = "/slurm/v0.0.42";
  @TempDir Path dir;
  private Path token;
  private WireMockRuntimeInfo wm;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void setUp(WireMockRuntimeInfo info) throws IOException {
    wm = info;
    token = Files.writeString(dir.resolve("token"), "a.b.c");
    wm.getWireMock()
        .register(
            get("/openapi/v3").willReturn(okJson(new String(Fixture.body("24.11", "openapi-v3")))));
    wm.getWireMock()
        .register(
            get(urlPathEqualTo(V42 + "/ping/"))
                .willReturn(okJson(new String(Fixture.body("24.11/v0.0.42", "ping")))));
  }

  private int run(String... args) {
    CommandLine cli = DaskMpiOperator.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private int check(String url, Path tokenFile, String... extra) {
    String[] base = {
      "check-slurm",
      "--url",
      url,
      "--user",
      "daskjob",
      "--token-file",
      tokenFile.toString(),
      "--timeout",
      "2"
    };
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return run(all);
  }

  @Test
  void usableServerPrintsReleaseVersionsAndTheChoice() {
    wm.getWireMock()
        .register(
            get(urlPathEqualTo(V42 + "/jobs/"))
                .willReturn(
                    okJson(
                        new String(
                            Fixture.body("24.11/v0.0.42", "jobs-list-update-time-iso-now")))));
    assertThat(check(wm.getHttpBaseUrl(), token)).isZero();
    assertThat(out.toString())
        .contains("Slurm release:  24.11.5")
        .contains("REST versions:  v0.0.42, v0.0.41, v0.0.40")
        .contains("chosen version: v0.0.42")
        .contains("slurmctld:      responding");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void unreachableServerIsOneLine() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertThat(check("http://127.0.0.1:" + port, token)).isEqualTo(CheckSlurmCommand.UNREACHABLE);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .startsWith("check-slurm: unreachable: ")
        .contains("connection refused");
  }

  @Test
  void badTokenIsOneLine() {
    wm.getWireMock()
        .register(
            get(urlPathEqualTo(V42 + "/jobs/"))
                .willReturn(
                    aResponse()
                        .withStatus(511)
                        .withBody(Fixture.body("24.11/v0.0.41", "auth-user-mismatch"))));
    assertThat(check(wm.getHttpBaseUrl(), token)).isEqualTo(CheckSlurmCommand.AUTH);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .startsWith("check-slurm: authentication failed: ")
        .contains("Protocol authentication error")
        .doesNotContain("a.b.c");
  }

  @Test
  void missingTokenFileIsOneLine() {
    assertThat(check(wm.getHttpBaseUrl(), dir.resolve("nope"))).isEqualTo(CheckSlurmCommand.AUTH);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .contains("cannot read token file")
        .contains("no such file");
  }

  @Test
  void noCommonVersionIsOneLine() {
    assertThat(check(wm.getHttpBaseUrl(), token, "--api-version", "v0.0.38"))
        .isEqualTo(CheckSlurmCommand.NO_COMMON_VERSION);
    assertThat(err.toString().lines())
        .singleElement()
        .asString()
        .isEqualTo(
            "check-slurm: no usable REST API version: slurmrestd does not offer the configured REST API version v0.0.38 (it offers: v0.0.42, v0.0.41, v0.0.40)");
  }
}
