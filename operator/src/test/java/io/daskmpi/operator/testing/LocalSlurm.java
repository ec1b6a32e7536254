package io.daskmpi.operator.testing;

import io.daskmpi.operator.slurm.SlurmEndpoint;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local Slurm cluster brought up by {@code dev/local-slurm}, as integration tests see it. Which
 * versions to test comes from {@code DASKMPI_IT_SLURM} (default: all three); a version that is not
 * up fails the tests that need it, with the command that brings it up.
 *
 * @param version the Slurm version, e.g. {@code 24.11}
 * @param env what {@code dev/local-slurm env} printed
 */
public record LocalSlurm(String version, Map<String, String> env) {
  private static final Pattern ASSIGNMENT = Pattern.compile("([A-Z_][A-Z0-9_]*)=((?:\\\\.|\\S)*)");

  /** The versions under test. */
  public static List<String> versions() {
    String configured = System.getenv().getOrDefault("DASKMPI_IT_SLURM", "22.05 24.11 26.05");
    return Arrays.stream(configured.split("[\\s,]+")).filter(s -> !s.isBlank()).toList();
  }

  public static LocalSlurm of(String version) {
    String output = run(repo().resolve("dev/local-slurm").toString(), "env", "--slurm", version);
    Map<String, String> env = new HashMap<>();
    Matcher m = ASSIGNMENT.matcher(output);
    while (m.find()) {
      // bash's printf %q escapes spaces and the like with a backslash.
      env.put(m.group(1), m.group(2).replaceAll("\\\\(.)", "$1"));
    }
    return new LocalSlurm(version, Map.copyOf(env));
  }

  public static Path repo() {
    return Path.of(System.getProperty("daskmpi.repo", "..")).toAbsolutePath().normalize();
  }

  public SlurmEndpoint endpoint() {
    return new SlurmEndpoint(
        URI.create(require("DASKMPI_SLURM_URL")),
        user(),
        Path.of(require("DASKMPI_SLURM_TOKEN_FILE")));
  }

  /** The environment a command-line user gets from {@code eval "$(dev/local-slurm env)"}. */
  public Map<String, String> environment() {
    return env;
  }

  /** Copies the built runtime jar to where every local cluster's jobs find it. */
  public static void installRuntime() {
    run(
        repo().resolve("dev/local-slurm").toString(),
        "install-runtime",
        repo().resolve("runtime/target/dask-mpi-runtime.jar").toString());
  }

  public String user() {
    return require("DASKMPI_SLURM_USER");
  }

  /** A directory the job user may write and the tests may read, on every cluster. */
  public String workDir() {
    return require("DASKMPI_SLURM_WORKDIR");
  }

  private String require(String name) {
    String value = env.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalStateException(
          "dev/local-slurm env --slurm " + version + " printed no " + name + ": " + env);
    }
    return value;
  }

  private static String run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
