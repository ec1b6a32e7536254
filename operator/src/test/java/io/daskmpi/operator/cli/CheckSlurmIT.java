package io.daskmpi.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.daskmpi.operator.testing.LocalSlurm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The built jar's {@code check-slurm}, run as a user would, against every local Slurm. */
class CheckSlurmIT {
  private static final Path JAR =
      LocalSlurm.repo().resolve("operator/target/dask-mpi-operator.jar");

  record Result(int exit, String out, String err) {}

  static List<String> versions() {
    return LocalSlurm.versions();
  }

  private static Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString(), "check-slurm"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("DASKMPI_SLURM_"));
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out, err);
  }

  private static String[] args(String url, String user, Path token) {
    return new String[] {"--url", url, "--user", user, "--token-file", token.toString()};
  }

  @ParameterizedTest(name = "Slurm {0}")
  @MethodSource("versions")
  void printsTheChosenVersion(String version) throws Exception {
    LocalSlurm slurm = LocalSlurm.of(version);
    var e = slurm.endpoint();
    Result r = run(args(e.url().toString(), e.user(), slurm.tokenFile()));
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("Slurm release:  " + version + ".")
        .containsPattern("chosen version: v0\\.0\\.4[0-5]|chosen version: v0\\.0\\.38");
    assertThat(r.out()).contains("slurmctld:      responding");
  }

  @ParameterizedTest(name = "Slurm {0}")
  @MethodSource("versions")
  void wrongUrlBadTokenFileAndBadTokenEachGiveOneLine(String version) throws Exception {
    LocalSlurm slurm = LocalSlurm.of(version);
    var e = slurm.endpoint();

    Result wrongUrl = run(args("http://127.0.0.1:9", e.user(), slurm.tokenFile()));
    assertThat(wrongUrl.exit()).isEqualTo(CheckSlurmCommand.UNREACHABLE);
    assertThat(wrongUrl.err().lines())
        .singleElement()
        .asString()
        .startsWith("check-slurm: unreachable:");

    Result noFile = run(args(e.url().toString(), e.user(), Path.of("/nonexistent/token")));
    assertThat(noFile.exit()).isEqualTo(CheckSlurmCommand.AUTH);
    assertThat(noFile.err().lines())
        .singleElement()
        .asString()
        .contains("cannot read token file /nonexistent/token");

    Path bad = Files.writeString(Files.createTempFile("token", ""), "not.a.token\n");
    Result badToken = run(args(e.url().toString(), e.user(), bad));
    Files.delete(bad);
    assertThat(badToken.exit()).isEqualTo(CheckSlurmCommand.AUTH);
    assertThat(badToken.err().lines())
        .singleElement()
        .asString()
        .startsWith("check-slurm: authentication failed:")
        .doesNotContain("not.a.token");
    assertThat(badToken.out()).isEmpty();
  }
}
